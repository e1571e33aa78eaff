import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { BundleLoadError } from "../../engine/errors.ts";
import { loadBundleFile } from "../../engine/loader.ts";
import { packageEntry } from "../../cli/app.ts";
import { root } from "../fixtures/cli.ts";

const options = { aliases: { "chroma-mod": packageEntry }, cwd: root };

async function loadError(file: string, cwd = root): Promise<BundleLoadError> {
  try {
    await loadBundleFile(file, { ...options, cwd });
  } catch (error) {
    return error as BundleLoadError;
  }
  throw new Error(`${file} loaded`);
}

t.test("loads a bundle with local imports and the chroma-mod alias, leaving no temp file", async (t) => {
  const before = readdirSync(tmpdir()).filter((f) => f.startsWith("chroma-mod-") && f.endsWith(".mjs")).length;
  const bundle = (await loadBundleFile("bundles/multi.config.ts", options)) as { instances: Record<string, unknown> };
  t.same(Object.keys(bundle.instances), ["docs", "recs", "legacy"]);
  const after = readdirSync(tmpdir()).filter((f) => f.startsWith("chroma-mod-") && f.endsWith(".mjs")).length;
  t.equal(after, before);
  t.ok(await loadBundleFile(join(root, "bundles/dev.config.ts"), { aliases: options.aliases }), "absolute path, default cwd");
});

t.test("errors name the file, line and column", async (t) => {
  const missing = await loadError("nope.config.ts");
  t.type(missing, BundleLoadError);
  t.equal(missing.message, "nope.config.ts: no such file.");
  t.match((await loadError("test/fixtures/syntax.config.ts")).message, /^test\/fixtures\/syntax\.config\.ts could not be compiled:\n {2}test\/fixtures\/syntax\.config\.ts:\d+:\d+: /);
  const thrown = await loadError("test/fixtures/throws.config.ts");
  t.match(thrown.message, /^test\/fixtures\/throws\.config\.ts:4:\d+: the bundle threw while evaluating: unknown environment staging$/);
  t.match((await loadError("test/fixtures/no-default.config.ts")).message, "has no default export");
  const outside = await loadError(join(root, "test/fixtures/throws.config.ts"), mkdtempSync(join(tmpdir(), "chroma-mod-elsewhere-")));
  t.match(outside.message, `${join(root, "test/fixtures/throws.config.ts")}:4:`, "files outside cwd keep their absolute path");
});

t.test("a thrown non-Error and a throw without a user frame", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-loader-"));
  writeFileSync(join(dir, "string.config.ts"), 'throw "plain string";\nexport default {};\n');
  const plain = await loadError("string.config.ts", dir);
  t.equal(plain.message, "string.config.ts: the bundle threw while evaluating: plain string");
  writeFileSync(join(dir, "json.config.ts"), 'export default JSON.parse("{");\n');
  t.match((await loadError("json.config.ts", dir)).message, /^json\.config\.ts:1:\d+: the bundle threw while evaluating: /);
  const lib = join(root, "test", "fixtures", "library-throws.config.ts");
  t.match((await loadError(lib)).message, /^test\/fixtures\/library-throws\.config\.ts:5:\d+: the bundle threw while evaluating: /, "an error inside a library points at the bundle's line that called it");
});
