/**
 * The npm `chromadb` 3.x client (the JS client users of Chroma 1.x run), installed once into a scratch dir under
 * the cache (never into the repo's package.json) and imported from there.
 *
 *   ${CHROMA_MOD_CACHE:-~/.cache/chroma-mod}/npm-client/node_modules/chromadb
 *
 * Idempotent and parallel-safe: `npm install` runs under an flock only when the installed major is not 3.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
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

/** Create a collection, add embeddings, query, count, delete — with the given headers (over HTTPS with `ssl`). */
export async function npmCrud(target: Target, headers: Record<string, string> | undefined, name: string, ssl = false) {
  const { ChromaClient } = await loadNpmClient();
  const client = new ChromaClient({ ...hostPort(target), ssl, ...(headers ? { headers } : {}) });
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

/**
 * npmCrud over HTTPS in a child Node.js process that trusts `caFile` (NODE_EXTRA_CA_CERTS is read at start only):
 * resolves with its result, or rejects with the client's error.
 */
export function npmCrudTls(
  target: Target,
  headers: Record<string, string> | undefined,
  name: string,
  caFile: string,
): Promise<{ count: number; nearest: string[] }> {
  ensureNpmClient();
  const script = `import { npmCrud } from ${JSON.stringify(pathToFileURL(fileURLToPath(import.meta.url)).href)};
npmCrud(${JSON.stringify(hostPort(target))}, ${JSON.stringify(headers ?? null)} ?? undefined, ${JSON.stringify(name)}, true).then(
  (r) => console.log(JSON.stringify({ ok: r })),
  (e) => { const chain = []; for (let x = e; x && chain.length < 5; x = x.cause) chain.push(String(x.code ?? x.name ?? "") + ": " + String(x.message ?? x)); console.log(JSON.stringify({ error: chain.join(" <- ") })); },
);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import=tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("close", () => {
      const line = out.trim().split("\n").pop() ?? "";
      try {
        const parsed = JSON.parse(line) as { ok?: { count: number; nearest: string[] }; error?: string };
        if (parsed.ok) resolve(parsed.ok);
        else reject(new Error(parsed.error));
      } catch {
        reject(new Error(`npm client child failed: ${out}\n${err}`));
      }
    });
  });
}
