/** allowReset: reset() empties the server when allowed, and is refused (data untouched) when not. */
import type { Test } from "tap";
import { pythonClient, type ClientAuth, type ClientStepResult } from "../harness.ts";
import type { SuiteContext } from "../suite/context.ts";
import type { Served } from "../suite/serve.ts";

/** allowReset true: reset() answers True and the collection written before is gone. */
export async function resetWorksTest(t: Test, ctx: SuiteContext, served: Served, auth: ClientAuth, collection: string): Promise<void> {
  await t.test("allowReset true: reset works", async (t) => {
    ctx.feature("allowReset", t);
    const results = await pythonClient(ctx.version, served.port, [
      { name: "reset", op: "reset", auth },
      { name: "read", op: "read", collection, auth },
    ]);
    t.same(results.get("reset")!.result, { reset: true }, "reset() → True", { error: results.get("reset")!.error });
    t.equal(results.get("read")!.result?.exists, false, "the data is gone after reset");
  });
}

/** allowReset false, from the results of a write, a reset and a read (steps named so) of one client run. */
export async function resetRefusedTest(t: Test, ctx: SuiteContext, results: ReadonlyMap<string, ClientStepResult>): Promise<void> {
  await t.test("allowReset false: reset refused", async (t) => {
    ctx.feature("allowReset", t);
    const reset = results.get("reset")!;
    t.notOk(reset.ok && reset.result?.reset === true, "reset() does not succeed", { result: reset.result });
    t.match(reset.error ?? "", /reset/i, "the server says reset is not allowed", { error: reset.error });
    t.equal(results.get("read")!.result?.count, 3, "the data is untouched");
  });
}
