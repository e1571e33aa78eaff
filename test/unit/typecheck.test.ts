/** The whole project, bundles included, type-checks with TypeScript strict (so `@ts-expect-error` lines are real). */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import t from "tap";
import { root } from "../fixtures/cli.ts";

t.test("tsc -p . is clean", async (t) => {
  const run = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", root], { encoding: "utf8" });
  t.equal(run.status, 0, run.stdout);
});
