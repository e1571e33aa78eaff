/**
 * The main pod: token auth via Authorization (if the version has it), allowReset, persistence, CORS, no
 * telemetry, log config; restarted once (same PVC).
 */
import type { Test } from "tap";
import { pythonClient, type ClientAuth } from "../harness.ts";
import { authProxyTest } from "../features/auth-proxy.ts";
import { tokenAuthTest, tokenCredentials, type Credentials } from "../features/auth.ts";
import { corsTest } from "../features/cors.ts";
import { logConfigTest } from "../features/log-config.ts";
import { keptTest, writeBeforeRestart } from "../features/persistence.ts";
import { probesTest } from "../features/probes.ts";
import { resetWorksTest } from "../features/reset.ts";
import { telemetryOffTest, trapEnv, withTrap, type Trap } from "../features/telemetry.ts";
import type { RunningPod } from "../runner.ts";
import { allowedOrigin, type SuiteContext } from "./context.ts";
import { serve, withPod, type Served } from "./serve.ts";

const collection = "persisted";

async function firstStart(t: Test, ctx: SuiteContext, served: Served, pod: RunningPod, right: Credentials | null): Promise<void> {
  await probesTest(t, ctx, pod);
  if (right?.kind === "token") await tokenAuthTest(t, ctx, served.port, right);
  else {
    const r = (await pythonClient(ctx.version, served.port, [{ name: "open", op: "crud", collection: "open_main" }])).get("open")!;
    t.ok(r.ok, "no auth: the Python client creates/adds/queries", { error: r.error, trace: r.trace });
  }
  if (ctx.row.authProxy.support === "yes" && right) await authProxyTest(t, ctx, served, pod, right);
  if (right && ctx.row.corsWithAuth.support === "yes") await corsTest(t, ctx, "CORS with token auth on", "corsWithAuth", served.port);
  await logConfigTest(t, ctx, served, pod);
  await writeBeforeRestart(t, ctx, served, right as ClientAuth, collection);
}

async function afterRestart(t: Test, ctx: SuiteContext, served: Served, pod: RunningPod, auth: ClientAuth, trap: Trap): Promise<void> {
  const upSince = Date.now();
  await keptTest(t, ctx, served, auth, collection);
  await resetWorksTest(t, ctx, served, auth, collection);
  await telemetryOffTest(t, ctx, pod, trap, upSince);
}

export async function mainPod(t: Test, ctx: SuiteContext): Promise<void> {
  const { version, tokenA } = ctx;
  await t.test(`Chroma ${version}: main pod (${tokenA ? "token via Authorization" : "no auth"}, allowReset, persistent, CORS)`, async (t) => {
    await withTrap(async (trap) => {
      const served = await serve(version, {
        chromadb: {
          auth: tokenA ? { enabled: true, type: "token", token: { tokenHeader: "Authorization" } } : { enabled: false },
          allowReset: true,
          isPersistent: true,
          corsAllowOrigins: ctx.row.corsWithAuth.support === "yes" || !tokenA ? [allowedOrigin] : [],
        },
        extraEnv: trapEnv(trap),
      });
      const right = tokenCredentials(served, "Authorization", tokenA);
      await withPod(t, served, "main, first start", (pod) => firstStart(t, ctx, served, pod, right));
      await withPod(t, served, "main, after restart", (pod) => afterRestart(t, ctx, served, pod, right as ClientAuth, trap));
    });
  });
}
