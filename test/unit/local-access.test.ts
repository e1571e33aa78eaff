import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { firstUseNote } from "../../cli/local-access.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { chromaModule } from "../../module/index.ts";

function instances(versions: readonly string[]) {
  const bundle = { instances: Object.fromEntries(versions.map((v, i) => [`c${i}`, { namespace: "ns", values: { chromadb: { apiVersion: v } } }])) };
  return evaluate(chromaModule, bundle as never, { file: "test.config.ts" });
}

t.test("firstUseNote: the versions the local node will install first, an image-only release as its PyPI stand-in", async (t) => {
  const cache = mkdtempSync(join(tmpdir(), "chroma-mod-note-"));
  t.teardown(() => rmSync(cache, { recursive: true, force: true }));
  const before = process.env.CHROMA_MOD_CACHE;
  process.env.CHROMA_MOD_CACHE = cache;
  t.teardown(() => {
    if (before === undefined) delete process.env.CHROMA_MOD_CACHE;
    else process.env.CHROMA_MOD_CACHE = before;
  });
  const note = await firstUseNote(instances(["1.5.3", "0.6.3"]));
  t.equal(
    note,
    "local node: Chroma 0.6.3, 1.5.4 (for 1.5.3, which has no PyPI release) will be installed from PyPI into a virtualenv on first use (a few minutes; then cached under the cache dir's venvs/)",
  );
  t.equal(await firstUseNote([]), undefined, "nothing to install: no note");
});
