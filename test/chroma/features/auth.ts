/**
 * Auth: with no, wrong and the right credentials, over raw HTTP, the version's Python client and on 1.x the npm
 * client; a token is accepted only in the rendered transport header.
 */
import type { Test } from "tap";
import { npmCrud } from "../clients/npm-client.ts";
import { authErrorPattern, basicHeader, http, pythonClient, type ClientAuth, type Target } from "../harness.ts";
import { apiPath, deniedStatus, is1x, type SuiteContext } from "../suite/context.ts";
import { generatedSecret, type Served } from "../suite/serve.ts";

export type TokenHeader = "Authorization" | "X-Chroma-Token";
export type Credentials = { kind: "token"; header: TokenHeader; token: string } | { kind: "basic"; username: string; password: string };

function headersFor(c: Credentials | null): Record<string, string> {
  if (!c) return {};
  if (c.kind === "basic") return { Authorization: basicHeader(c.username, c.password) };
  return c.header === "Authorization" ? { Authorization: `Bearer ${c.token}` } : { "X-Chroma-Token": c.token };
}
function wrongOf(c: Credentials): Credentials {
  if (c.kind === "basic") return { ...c, password: `${c.password}x` };
  return { ...c, token: c.token.split("").reverse().join("") === c.token ? `${c.token}x` : c.token.split("").reverse().join("") };
}

/** The generated token sent in `header`, or no credentials when the pod runs without token auth. */
export function tokenCredentials(served: Served, header: TokenHeader, enabled: boolean): Credentials | null {
  return enabled ? { kind: "token", header, token: generatedSecret(served)!.token! } : null;
}

/** Raw HTTP: none → refused, wrong → refused, right → 200; a token in the other header → refused. */
async function checkHttp(t: Test, version: string, port: Target, right: Credentials, wrong: Credentials): Promise<void> {
  const path = apiPath(version);
  const denied = deniedStatus(version);
  const none = await http(port, path);
  t.equal(none.status, denied, `HTTP without credentials → ${denied}`, { body: none.body });
  const bad = await http(port, path, { headers: headersFor(wrong) });
  t.equal(bad.status, denied, `HTTP with wrong credentials → ${denied}`, { body: bad.body });
  const ok = await http(port, path, { headers: headersFor(right) });
  t.equal(ok.status, 200, "HTTP with the right credentials → 200", { body: ok.body });
  if (right.kind === "token") {
    // The other header must not be accepted: the server reads exactly the rendered transport header.
    const other: Credentials = { ...right, header: right.header === "Authorization" ? "X-Chroma-Token" : "Authorization" };
    const res = await http(port, path, { headers: headersFor(other) });
    t.equal(res.status, denied, `the right token in the other header (${other.header}) → ${denied}`, { body: res.body });
  }
}

/** The version's Python client with its auth Settings: none and wrong refused with an auth error, right does a real create/add/query. */
async function checkPythonClient(t: Test, version: string, port: Target, right: Credentials, wrong: Credentials, tag: string): Promise<void> {
  const collection = `auth_${tag}`;
  const results = await pythonClient(version, port, [
    { name: "none", op: "crud", collection, auth: null },
    { name: "wrong", op: "crud", collection, auth: wrong as ClientAuth },
    { name: "right", op: "crud", collection, auth: right as ClientAuth },
  ]);
  for (const name of ["none", "wrong"]) {
    const r = results.get(name)!;
    t.notOk(r.ok, `Python client, ${name} credentials: refused`, { result: r.result });
    t.match(r.error ?? "", authErrorPattern, `Python client, ${name} credentials: an auth error`, { error: r.error });
  }
  const r = results.get("right")!;
  t.ok(r.ok, "Python client (the version's auth Settings), right credentials: create/add/query", { error: r.error, trace: r.trace });
  t.same(r.result, { count: 3, nearest: ["a", "b"] }, "Python client: 3 records, nearest neighbours a, b");
}

/** The npm client 3.x (1.x servers) with the credentials as headers. */
async function checkNpmClient(t: Test, port: Target, right: Credentials, wrong: Credentials, tag: string): Promise<void> {
  for (const [name, creds] of [
    ["none", null],
    ["wrong", wrong],
  ] as const) {
    try {
      await npmCrud(port, headersFor(creds), `npm_${name}_${tag}`);
      t.fail(`npm client 3.x, ${name} credentials: refused`);
    } catch (error) {
      t.match(
        `${(error as Error).name}: ${(error as Error).message}`,
        /Unauthori[sz]ed|Forbidden|401|403/i,
        `npm client 3.x, ${name} credentials: refused with an auth error`,
      );
    }
  }
  const res = await npmCrud(port, headersFor(right), `npm_right_${tag}`);
  t.same(res, { count: 3, nearest: ["a", "b"] }, "npm client 3.x with headers, right credentials: create/add/query");
}

/** none → refused, wrong → refused, right → a real create/add/query: raw HTTP, the version's Python client, and on 1.x the npm client. */
export async function checkAuth(t: Test, version: string, port: Target, right: Credentials, tag: string): Promise<void> {
  const wrong = wrongOf(right);
  await checkHttp(t, version, port, right, wrong);
  await checkPythonClient(t, version, port, right, wrong, tag);
  if (is1x(version)) await checkNpmClient(t, port, right, wrong, tag);
}

const tokenTests = {
  Authorization: { name: "token auth via Authorization: Bearer", feature: "tokenAuthorization", tag: "bearer" },
  "X-Chroma-Token": { name: "token auth via X-Chroma-Token", feature: "tokenXChromaToken", tag: "xtoken" },
} as const;

/** The subtest that proves the token auth cell of `right`'s transport header. */
export async function tokenAuthTest(t: Test, ctx: SuiteContext, port: number, right: Credentials & { kind: "token" }): Promise<void> {
  const { name, feature, tag } = tokenTests[right.header];
  await t.test(name, async (t) => {
    ctx.feature(feature, t);
    await checkAuth(t, ctx.version, port, right, tag);
  });
}
