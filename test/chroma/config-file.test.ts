/**
 * Chroma 1.x config file keys beyond the module's own, in effect on a real server: `chromadb.sqliteFilename` names
 * the SQLite file, and `chromadb.extraConfig` (the chart's, merged into the rendered config) sets
 * `sqlitedb.hash_type`, which Chroma records with every migration it applied (sha256: 64 hex digits; its default,
 * md5: 32).
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import type { ValuesInput } from "../../schemas/values.ts";
import { loopbackPod, pythonClient, requireVenv } from "./harness.ts";

const version = "1.5.9";

/** Runs the rendered pod, writes a collection, stops; the data directory's files and the migrations' hash lengths. */
async function dataOf(chromadb: ValuesInput["chromadb"]): Promise<{ files: string[]; hashLengths: number[]; wrote: boolean }> {
  const { runner, port } = await loopbackPod(version, { chromadb });
  const pod = await runner.start();
  const write = (await pythonClient(version, port, [{ name: "write", op: "write", collection: "kept" }])).get("write")!;
  await pod.stop();
  const dir = runner.source.claimDir("data");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite3"));
  const python = join(process.env.CHROMA_MOD_CACHE ?? join(process.env.HOME!, ".cache", "chroma-mod"), "venvs", version, "bin", "python");
  const query = spawnSync(
    python,
    [
      "-c",
      "import sqlite3,sys; print('\\n'.join(str(len(r[0])) for r in sqlite3.connect(sys.argv[1]).execute('select hash from migrations')))",
      join(dir, files[0] ?? "none"),
    ],
    {
      encoding: "utf8",
    },
  );
  return { files, hashLengths: [...new Set(query.stdout.trim().split("\n").filter(Boolean).map(Number))], wrote: write.ok };
}

t.test(`Chroma ${version}: sqliteFilename and extraConfig in the rendered config file`, async (t) => {
  requireVenv(version);
  const set = await dataOf({ sqliteFilename: "vectors.sqlite3", extraConfig: { sqlitedb: { hash_type: "sha256" } } });
  t.ok(set.wrote, "the server serves a write");
  t.same(set.files, ["vectors.sqlite3"], "the SQLite file has the name sqliteFilename gives");
  t.same(set.hashLengths, [64], "extraConfig's sqlitedb.hash_type sha256: the migrations are recorded with sha256 hashes");
  const plain = await dataOf({});
  t.same(plain.files, ["chroma.sqlite3"], "without: Chroma's default name");
  t.same(plain.hashLengths, [32], "and its default md5 hashes");
});
