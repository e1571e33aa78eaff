/**
 * The npm `chromadb` 3.x client (the JS client users of Chroma 1.x run), installed once into a scratch dir under
 * the cache (never into the repo's package.json) and imported from there.
 *
 *   ${CHROMA_MOD_CACHE:-~/.cache/chroma-mod}/npm-client/node_modules/chromadb
 *
 * Idempotent and parallel-safe: `npm install` runs under an flock only when the installed major is not 3.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { hostPort, type Target } from "../harness.ts";

const npmClientSpec = "chromadb@3";

function npmClientDir(): string {
  return join(process.env.CHROMA_MOD_CACHE ?? join(homedir(), ".cache", "chroma-mod"), "npm-client");
}

function installedMajor(dir: string): number | undefined {
  const pkg = join(dir, "node_modules", "chromadb", "package.json");
  if (!existsSync(pkg)) return undefined;
  return Number((JSON.parse(readFileSync(pkg, "utf8")) as { version: string }).version.split(".")[0]);
}

/** Installs the client when missing; returns its installed version. Throws (failing the test) when npm fails. */
function ensureNpmClient(): string {
  const dir = npmClientDir();
  if (installedMajor(dir) !== 3) {
    mkdirSync(dir, { recursive: true });
    const script = `[ "$(node -p "try{require('./node_modules/chromadb/package.json').version.split('.')[0]}catch{''}")" = 3 ] || npm install --prefix . --no-audit --no-fund --no-save ${npmClientSpec}`;
    const r = spawnSync("flock", [join(dir, ".install.lock"), "sh", "-c", script], { cwd: dir, encoding: "utf8", timeout: 300_000 });
    if (r.status !== 0 || installedMajor(dir) !== 3) {
      throw new Error(`npm install ${npmClientSpec} into ${dir} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
    }
  }
  return (JSON.parse(readFileSync(join(dir, "node_modules", "chromadb", "package.json"), "utf8")) as { version: string }).version;
}

interface NpmCollection {
  add(args: { ids: string[]; embeddings: number[][]; documents?: string[]; metadatas?: Record<string, string>[] }): Promise<void>;
  query(args: { queryEmbeddings: number[][]; nResults: number }): Promise<{ ids: string[][] }>;
  count(): Promise<number>;
}
interface NpmClient {
  heartbeat(): Promise<number>;
  createCollection(args: { name: string; embeddingFunction?: null }): Promise<NpmCollection>;
  deleteCollection(args: { name: string }): Promise<void>;
}
interface NpmModule {
  ChromaClient: new (args: { host: string; port: number; ssl: boolean; headers?: Record<string, string> }) => NpmClient;
}

async function loadNpmClient(): Promise<NpmModule> {
  ensureNpmClient();
  const entry = join(npmClientDir(), "node_modules", "chromadb", "dist", "chromadb.mjs");
  return (await import(pathToFileURL(entry).href)) as NpmModule;
}

/** Create a collection, add embeddings, query, count, delete — with the given headers. */
export async function npmCrud(target: Target, headers: Record<string, string> | undefined, name: string) {
  const { ChromaClient } = await loadNpmClient();
  const client = new ChromaClient({ ...hostPort(target), ssl: false, ...(headers ? { headers } : {}) });
  const col = await client.createCollection({ name, embeddingFunction: null });
  await col.add({
    ids: ["a", "b", "c"],
    embeddings: [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ],
    documents: ["alpha", "beta", "gamma"],
  });
  const res = await col.query({ queryEmbeddings: [[0.9, 0.1, 0]], nResults: 2 });
  const count = await col.count();
  await client.deleteCollection({ name });
  return { count, nearest: res.ids[0] };
}
