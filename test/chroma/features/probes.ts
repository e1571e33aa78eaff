/** Probes: every rendered probe of the pod answers 200 on the running server. */
import type { Test } from "tap";
import { http } from "../harness.ts";
import type { RunningPod } from "../runner.ts";
import type { SuiteContext } from "../suite/context.ts";

export async function checkProbes(t: Test, pod: RunningPod): Promise<void> {
  t.ok(
    pod.probes.some((p) => p.kind === "readiness"),
    "the pod has a readiness probe",
  );
  for (const p of pod.probes) {
    const res = await http(p.port, p.path);
    t.equal(res.status, 200, `${p.container} ${p.kind} probe GET ${p.path} → 200`);
  }
}

/** The subtest that proves the `probes` cell. */
export async function probesTest(t: Test, ctx: SuiteContext, pod: RunningPod): Promise<void> {
  await t.test("probes", async (t) => {
    ctx.feature("probes", t);
    await checkProbes(t, pod);
  });
}
