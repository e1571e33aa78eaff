/** The ephemeral pod: token auth via X-Chroma-Token (if the version has it), allowReset false, isPersistent false; restarted. */
import type { Test } from "tap";
import { pythonClient, type ClientAuth } from "../harness.ts";
import { tokenAuthTest, tokenCredentials } from "../features/auth.ts";
import { lostTest } from "../features/persistence.ts";
import { checkProbes } from "../features/probes.ts";
import { resetRefusedTest } from "../features/reset.ts";
import type { SuiteContext } from "./context.ts";
import { serve, withPod } from "./serve.ts";

const collection = "ephemeral";

export async function ephemeralPod(t: Test, ctx: SuiteContext): Promise<void> {
  const { version, tokenX } = ctx;
  await t.test(`Chroma ${version}: ephemeral pod (${tokenX ? "token via X-Chroma-Token" : "no auth"}, allowReset false, not persistent)`, async (t) => {
    const served = await serve(version, {
      chromadb: {
        auth: tokenX ? { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } } : { enabled: false },
        allowReset: false,
        isPersistent: false,
      },
    });
    const right = tokenCredentials(served, "X-Chroma-Token", tokenX);
    const auth = right as ClientAuth;
    await withPod(t, served, "ephemeral, first start", async (pod) => {
      await checkProbes(t, pod);
      if (right?.kind === "token") await tokenAuthTest(t, ctx, served.port, right);
      const results = await pythonClient(version, served.port, [
        { name: "write", op: "write", collection, auth },
        { name: "reset", op: "reset", auth },
        { name: "read", op: "read", collection, auth },
      ]);
      t.ok(results.get("write")!.ok, "wrote a collection", { error: results.get("write")!.error });
      await resetRefusedTest(t, ctx, results);
    });
    await withPod(t, served, "ephemeral, after restart", () => lostTest(t, ctx, served, auth, collection));
  });
}
