/** Persistence: isPersistent true keeps a collection across a restart of the pod (same PVC), false loses it. */
import type { Test } from "tap";
import { pythonClient, type ClientAuth } from "../harness.ts";
import type { SuiteContext } from "../suite/context.ts";
import type { Served } from "../suite/serve.ts";

async function read(ctx: SuiteContext, served: Served, auth: ClientAuth, collection: string) {
  return (await pythonClient(ctx.version, served.port, [{ name: "read", op: "read", collection, auth }])).get("read")!;
}

/** Before the restart: a collection of 3 records. */
export async function writeBeforeRestart(t: Test, ctx: SuiteContext, served: Served, auth: ClientAuth, collection: string): Promise<void> {
  const write = (await pythonClient(ctx.version, served.port, [{ name: "write", op: "write", collection, auth }])).get("write")!;
  t.ok(write.ok, "persistence: wrote a collection before the restart", { error: write.error, trace: write.trace });
}

/** After the restart of a persistent pod: the collection is still there. */
export async function keptTest(t: Test, ctx: SuiteContext, served: Served, auth: ClientAuth, collection: string): Promise<void> {
  await t.test("persistence: isPersistent true keeps data across a restart", async (t) => {
    ctx.feature("persistence", t);
    const r = await read(ctx, served, auth, collection);
    t.same(r.result, { exists: true, count: 3, nearest: ["a", "b"] }, "the collection is still there after the restart (same PVC)", { error: r.error });
  });
}

/** After the restart of an ephemeral pod: the collection is gone. */
export async function lostTest(t: Test, ctx: SuiteContext, served: Served, auth: ClientAuth, collection: string): Promise<void> {
  await t.test("persistence: isPersistent false loses data on restart", async (t) => {
    ctx.feature("persistence", t);
    const r = await read(ctx, served, auth, collection);
    t.ok(r.ok, "read after restart", { error: r.error });
    t.equal(r.result?.exists, false, "the collection is gone after the restart");
  });
}
