/**
 * The pods of a version's suite: an instance rendered from values the group writes (loopback, free ports), run by
 * a PodRunner; every start ends in a stop that must be graceful, and the logs are printed when a check failed.
 */
import t, { type Test } from "tap";
import type { EvaluatedInstance } from "../../../engine/evaluate.ts";
import type { Values, ValuesInput } from "../../../schemas/values.ts";
import { imageProfiles, networkValues, render } from "../harness.ts";
import type { MatrixVersion } from "../../../module/matrix.ts";
import { filesIn, PodRunner, type PodSpec, type RunningPod } from "../runner.ts";

export interface Served {
  readonly instance: EvaluatedInstance<Values>;
  readonly runner: PodRunner;
  readonly port: number;
  readonly upstreamPort: number;
}

/** Every pod's directories go when the test file ends (CHROMA_MOD_KEEP_PODS=1 keeps them for debugging). */
const runners: PodRunner[] = [];
t.teardown(() => {
  if (process.env.CHROMA_MOD_KEEP_PODS !== "1") for (const r of runners) r.cleanup();
});

export async function serve(version: MatrixVersion, values: ValuesInput, transformPod?: (spec: PodSpec) => PodSpec): Promise<Served> {
  const net = await networkValues();
  const chromadb = { ...values.chromadb, apiVersion: version, serverHost: "127.0.0.1", serverHttpPort: net.serverHttpPort };
  const instance = render({ ...values, chromadb, proxy: { ...values.proxy, upstreamPort: net.upstreamPort } });
  const runner = new PodRunner(instance.objects, instance.generatedSecrets, {
    imageProfile: imageProfiles(version, instance.values),
    readyTimeoutMs: 120_000,
    ...(transformPod ? { transformPod } : {}),
  });
  runners.push(runner);
  return { instance, runner, port: net.serverHttpPort, upstreamPort: net.upstreamPort };
}

/** The data of the instance's generated Secret (the credentials), as the runner filled it. */
export function generatedSecret(served: Served): Record<string, string> | undefined {
  return [...served.runner.secrets.values()][0];
}

/** Stops the pod and asserts a graceful stop: every container exits on SIGTERM before the grace period. */
async function stopPod(t: Test, pod: RunningPod, label: string): Promise<void> {
  const exits = await pod.stop();
  for (const [name, exit] of exits) {
    t.notOk(exit.killed, `${label}: container ${name} exits on SIGTERM (${exit.signal ?? `code ${exit.code}`} after ${exit.afterMs} ms), not killed`);
    t.ok(exit.signal === "SIGTERM" || exit.code === 0 || exit.code === 143, `${label}: container ${name} exit is a clean stop`, { exit });
  }
  for (const [name, dir] of pod.workDirs) {
    t.same(filesIn(dir), [], `${label}: container ${name} wrote nothing to its working directory (read-only root filesystem in the pod)`);
  }
}

/** Starts, runs `body`, always stops (asserting a graceful stop) and prints the logs when something failed. */
export async function withPod(t: Test, served: Served, label: string, body: (pod: RunningPod) => Promise<void>): Promise<void> {
  const pod = await served.runner.start();
  const failuresBefore = t.counts.fail;
  try {
    await body(pod);
  } finally {
    await stopPod(t, pod, label);
    if (t.counts.fail > failuresBefore) t.comment(`${label} logs:\n${pod.log()}`);
  }
}
