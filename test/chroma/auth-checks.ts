/**
 * What the real-server auth tests share (test/chroma/auth-tokens.test.ts, auth-tokens-0x.test.ts, auth-basic.test.ts):
 * the values and Secrets they give a pod, the checks they make on it (only the right credential gets in, a bad one
 * stops a container at start without echoing it) and which Chroma versions run.
 */
import t, { type Test } from "tap";
import { fillSecretData } from "../../engine/apply/generated.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { nearMisses, rawGet, secretValue, tokenHeader, type HostileToken, type ServedPod, type TokenHeader } from "./auth-tokens.ts";
import { requireHostPrograms, requireVenv } from "./harness.ts";
import { PodStartError } from "./runner.ts";

export const headers: readonly TokenHeader[] = ["Authorization", "X-Chroma-Token"];
export const mine = "my-auth";

export function apiPath(version: string): string {
  return version.startsWith("0.4.") ? "/api/v1/collections" : "/api/v2/tenants/default_tenant/databases/default_database/collections";
}
/** The proxy's 401: it is in front of every version with auth. */
export function deniedStatus(_version: string): number {
  return 401;
}
function healthPath(version: string): string {
  return version.startsWith("0.") ? "/api/v1/heartbeat" : "/api/v2/heartbeat";
}

export function tokenValues(header: TokenHeader, existing: boolean): ValuesInput {
  return { chromadb: { auth: { enabled: true, type: "token", token: { tokenHeader: header }, ...(existing ? { existingSecret: mine } : {}) } } };
}

/** Puts the token in the pod's Secret: the user's own Secret, or the generated one as apply keeps an existing value. */
export function giveToken(pod: ServedPod, bytes: Buffer, existing: boolean): void {
  const value = secretValue(bytes);
  if (existing) {
    pod.runner.secrets.set(mine, { token: value });
    return;
  }
  const spec = pod.instance.generatedSecrets[0]!;
  pod.runner.secrets.set(spec.metadata.name, fillSecretData(spec, { token: value }).data);
}

export const cleanups: ServedPod[] = [];
t.teardown(() => {
  for (const p of cleanups) p.runner.cleanup();
});

/** The right token gets Chroma's 200, each near miss is denied, the open health path needs nothing. */
export async function checkOnlyItself(t: Test, version: string, pod: ServedPod, header: TokenHeader, token: HostileToken): Promise<void> {
  const path = apiPath(version);
  t.equal(await rawGet(pod.port, path, [tokenHeader(header, token.bytes)]), 200, "the token itself → 200 from Chroma");
  for (const miss of nearMisses(header, token.bytes)) {
    t.equal(await rawGet(pod.port, path, miss.headers), deniedStatus(version), `${miss.name} → ${deniedStatus(version)}`);
  }
  t.equal(await rawGet(pod.port, healthPath(version), []), 200, "the health path stays open");
}

export async function withStarted(t: Test, pod: ServedPod, body: () => Promise<void>): Promise<void> {
  const running = await pod.runner.start();
  const failures = t.counts.fail;
  try {
    await body();
  } finally {
    await running.stop();
    if (t.counts.fail > failures) t.comment(running.log());
  }
}

/** Starting must fail because a container exited with the reason; the log never holds `secret`. */
export async function checkRefusedAtStart(t: Test, pod: ServedPod, container: string, reason: RegExp, secret: string): Promise<void> {
  const error = await pod.runner.start().then(
    async (running) => {
      await running.stop();
      return undefined;
    },
    (e: unknown) => e,
  );
  if (!t.type(error, PodStartError, `the pod does not start`)) return;
  const message = (error as Error).message;
  t.match(message, new RegExp(`container ${container} exited before the pod was ready \\((exit code [1-9]\\d*)\\)`), `${container} exits non-zero`);
  t.match(message, reason, "its stderr says why", { log: message.slice(0, 3000) });
  if (secret.length > 0) t.notOk(message.includes(secret), "the log never holds the credential");
}

/** CHROMA_MOD_AUTH_VERSIONS=1.5.9,0.6.3 runs only those versions (for debugging; every version runs by default). */
const only = process.env.CHROMA_MOD_AUTH_VERSIONS?.split(",");

export function prerequisites(version: string): boolean {
  if (only && !only.includes(version)) return false;
  try {
    requireVenv(version);
    requireHostPrograms();
    return true;
  } catch (error) {
    t.fail(`Chroma ${version}: ${(error as Error).message}`);
    return false;
  }
}
