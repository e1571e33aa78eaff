import { join } from "node:path";
import { pathToFileURL } from "node:url";
import t from "tap";
import { packageRoot } from "../../engine/package-root.ts";
import { root } from "../fixtures/cli.ts";

t.test("the package root is found from source files and from dist/", async (t) => {
  t.equal(packageRoot(pathToFileURL(join(root, "engine", "loader.ts")).href), root.replace(/\/$/, ""));
  t.equal(packageRoot(pathToFileURL(join(root, "dist", "123", "cli.mjs")).href), root.replace(/\/$/, ""));
  t.equal(packageRoot(), root.replace(/\/$/, ""));
  t.throws(() => packageRoot("file:///tmp/elsewhere/x.mjs"), /chroma-mod's package\.json not found above \/tmp\/elsewhere\/x\.mjs/);
});
