/**
 * The real-server suite of one Chroma version: iterates that version's row of module/matrix.ts and proves
 * every cell — each "yes" on a server started from the RENDERED pod (test/chroma/runner.ts), each "no" as a
 * `vet` refusal or an absence in the rendered objects. Called by the per-version files test/chroma/v*.test.ts.
 *
 * Runs per version (each a PodRunner from a bundle written here, evaluated by engine/evaluate.ts), one group a
 * file under suite/, proving features with the checks of features/ (a new suite is a new file in each):
 *   refusals   the "no" cells: vet refuses, or the render leaves out
 *   main       token via Authorization (if the version has it), allowReset, persistence, CORS, no telemetry,
 *              log config; restarted once (same PVC)
 *   ephemeral  token via X-Chroma-Token (if the version has it), allowReset false, isPersistent false; restarted
 *   basic      basic auth (if the version has it)
 *   open       no auth; on 0.x anonymizedTelemetry: true as the control of the telemetry observable
 *   entrypoint the open pod through image/docker_entrypoint.sh: rendered command as args, then env-driven
 */
import t, { type Test } from "tap";
import { requireHostPrograms, requireVenv } from "./harness.ts";
import { cellText, features, matrix, type Feature, type MatrixVersion } from "../../module/matrix.ts";
import { basicPod } from "./suite/basic-pod.ts";
import type { SuiteContext } from "./suite/context.ts";
import { entrypointPods } from "./suite/entrypoint-pods.ts";
import { ephemeralPod } from "./suite/ephemeral-pod.ts";
import { mainPod } from "./suite/main-pod.ts";
import { openPod } from "./suite/open-pod.ts";
import { refusals } from "./suite/refusals.ts";

/** The groups, in order; each gets the parent test and the version's context. */
const groups = [refusals, mainPod, ephemeralPod, basicPod, openPod, entrypointPods];

export async function versionSuite(version: MatrixVersion): Promise<void> {
  const row = matrix[version];
  const asserted = new Set<Feature>();
  const started = Date.now();
  const ctx: SuiteContext = {
    version,
    row,
    tokenA: row.tokenAuthorization.support === "yes",
    tokenX: row.tokenXChromaToken.support === "yes",
    basic: row.basicAuth.support === "yes",
    feature: (f: Feature, t: Test) => {
      asserted.add(f);
      t.comment(`${f} (${version}) = ${cellText(row[f])}`);
    },
  };

  t.test(`Chroma ${version}: prerequisites (venv, nginx, dumb-init, od, awk)`, async (t) => {
    t.doesNotThrow(() => requireVenv(version), `venv of ${version}`);
    t.doesNotThrow(() => requireHostPrograms(), "nginx, dumb-init, sh, od, awk");
  });
  try {
    requireVenv(version);
    requireHostPrograms();
  } catch {
    return; // the prerequisites test above failed; nothing else can run
  }

  for (const group of groups) await group(t, ctx);

  t.test(`Chroma ${version}: every matrix cell was asserted`, async (t) => {
    t.same([...asserted].sort(), (Object.keys(features) as Feature[]).sort(), "every feature of the row was proven");
    t.comment(`Chroma ${version}: wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
}
