/** The open pod: no auth, CORS; on 0.x anonymizedTelemetry: true as the control of the telemetry observable. */
import type { Test } from "tap";
import { pythonClient } from "../harness.ts";
import { corsTest } from "../features/cors.ts";
import { checkProbes } from "../features/probes.ts";
import { telemetryControlTest, trapEnv, withTrap } from "../features/telemetry.ts";
import { allowedOrigin, is1x, type SuiteContext } from "./context.ts";
import { containerNames } from "./rendered.ts";
import { serve, withPod } from "./serve.ts";

export async function openPod(t: Test, ctx: SuiteContext): Promise<void> {
  const { version } = ctx;
  await t.test(`Chroma ${version}: open pod (no auth${is1x(version) ? "" : ", anonymizedTelemetry true as the control"})`, async (t) => {
    await withTrap(async (trap) => {
      const served = await serve(version, {
        chromadb: { auth: { enabled: false }, corsAllowOrigins: [allowedOrigin], ...(is1x(version) ? {} : { anonymizedTelemetry: true }) },
        extraEnv: trapEnv(trap),
      });
      t.same(containerNames(served.instance.objects), ["chroma"], "no auth: one container");
      await withPod(t, served, "open", async (pod) => {
        await checkProbes(t, pod);
        const r = (await pythonClient(version, served.port, [{ name: "crud", op: "crud", collection: "open_crud" }])).get("crud")!;
        t.same(r.result, { count: 3, nearest: ["a", "b"] }, "no credentials needed: create/add/query", { error: r.error, trace: r.trace });
        await corsTest(t, ctx, "CORS", "cors", served.port);
        await telemetryControlTest(t, ctx, pod, trap);
      });
    });
  });
}
