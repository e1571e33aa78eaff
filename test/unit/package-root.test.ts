import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import t from "tap";
import { packageFile, packageRoot } from "../../engine/package-root.ts";
import { root } from "../fixtures/cli.ts";

t.test("the package root is found from source files and from dist/", async (t) => {
  t.equal(packageRoot(pathToFileURL(join(root, "engine", "loader.ts")).href), root.replace(/\/$/, ""));
  t.equal(packageRoot(pathToFileURL(join(root, "dist", "123", "cli.mjs")).href), root.replace(/\/$/, ""));
  t.equal(packageRoot(), root.replace(/\/$/, ""));
  t.throws(() => packageRoot("file:///tmp/elsewhere/x.mjs"), /chroma-mod's package\.json not found above \/tmp\/elsewhere\/x\.mjs/);
});

t.test("packageFile: the source where the sources are, else its build from dist/", async (t) => {
  const checkout = root.replace(/\/$/, "");
  t.equal(packageFile("mod.ts", "dist/mod.js", pathToFileURL(join(root, "dist", "cli", "main.js")).href), join(checkout, "mod.ts"));
  const installed = mkdtempSync(join(tmpdir(), "chroma-mod-installed-"));
  t.teardown(() => rmSync(installed, { recursive: true, force: true }));
  writeFileSync(join(installed, "package.json"), JSON.stringify({ name: "chroma-mod" }));
  t.equal(packageFile("mod.ts", "dist/mod.js", pathToFileURL(join(installed, "dist", "cli", "main.js")).href), join(installed, "dist", "mod.js"));
  t.equal(packageFile("engine/settle.ts", "dist/settle.js"), join(checkout, "engine", "settle.ts"));
});
