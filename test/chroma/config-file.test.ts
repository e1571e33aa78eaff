/**
 * Chroma 1.x config file keys beyond the module's own, in effect on a real server: `chromadb.sqliteFilename` names
 * the SQLite file, and `chromadb.extraConfig` (the chart's, merged into the rendered config) sets
 * `sqlitedb.hash_type`, which Chroma records with every migration it applied (sha256: 64 hex digits; its default,
 * md5: 32); the chart's `circuitBreaker.requests` (extraConfig `circuit_breaker`) turns concurrent requests past the
 * limit away with 429; its `segmentManager.hnswIndexPoolCacheConfig` is read (the shapes vet refuses stop Chroma at
 * start, as do a negative request limit and an unknown hash type); `chromadb.maxPayloadSizeBytes` refuses a larger
 * request with 413.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import type { ValuesInput } from "../../schemas/values.ts";
import { PodRunner } from "./runner.ts";
import { http, imageProfiles, loopbackPod, networkValues, pythonClient, render, requireVenv } from "./harness.ts";

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

/** `n` adds side by side, each of 300 embeddings of 256 floats (about 1.5 MB of JSON): each one's status, 0 when refused mid-body. */
async function concurrentAdds(port: number, n: number): Promise<number[]> {
  const base = "/api/v2/tenants/default_tenant/databases/default_database/collections";
  const made = await http(port, base, { method: "POST", body: { name: "breaker", get_or_create: true } });
  const id = (JSON.parse(made.body) as { id: string }).id;
  const body = (i: number) => ({
    ids: Array.from({ length: 300 }, (_, k) => `${i}-${k}`),
    embeddings: Array.from({ length: 300 }, () => Array.from({ length: 256 }, () => Math.random())),
  });
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      http(port, `${base}/${id}/add`, { method: "POST", body: body(i) }).then(
        (r) => r.status,
        () => 0,
      ),
    ),
  );
}

t.test(`Chroma ${version}: the chart's circuitBreaker (extraConfig circuit_breaker) limits the requests in flight`, async (t) => {
  requireVenv(version);
  const limited = await loopbackPod(version, { chromadb: { extraConfig: { circuit_breaker: { requests: 1 } } } });
  const pod = await limited.runner.start();
  const statuses = await concurrentAdds(limited.port, 8);
  await pod.stop();
  t.ok(statuses.includes(201), `some adds pass: ${statuses.join(" ")}`);
  t.ok(
    statuses.some((s) => s === 429 || s === 0),
    `and the others are refused ("You have been rate limited.", 429, or cut off mid-body): ${statuses.join(" ")}`,
  );
  const open = await loopbackPod(version, {});
  const plain = await open.runner.start();
  const all = await concurrentAdds(open.port, 8);
  await plain.stop();
  t.same(all, Array(8).fill(201), "without it, every add passes");
});

/** Chroma's start with `extra` appended to the config file the module renders (what vet refuses, past vet): its error, if any. */
async function startError(extra: string): Promise<string | undefined> {
  const net = await networkValues();
  const instance = render({
    chromadb: { auth: { enabled: false }, apiVersion: version, serverHost: "127.0.0.1", serverHttpPort: net.serverHttpPort },
    proxy: { upstreamPort: net.upstreamPort },
  });
  const config = instance.objects.find((o) => o.kind === "ConfigMap") as unknown as { data: Record<string, string> };
  config.data["config.yaml"] += extra;
  const runner = new PodRunner(instance.objects, instance.generatedSecrets, { imageProfile: imageProfiles(version), readyTimeoutMs: 60_000 });
  t.teardown(() => runner.cleanup());
  try {
    await (await runner.start()).stop();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

t.test(`Chroma ${version}: the chart's keys in extraConfig are read, and what vet refuses of them Chroma refuses too`, async (t) => {
  requireVenv(version);
  const ok = await dataOf({ extraConfig: { segment_manager: { hnsw_index_pool_cache_config: { memory: { capacity: 5 } } } } });
  t.ok(ok.wrote, "segment_manager.hnsw_index_pool_cache_config, a memory pool of 5 indexes: the server serves a write");
  const refused: [string, Record<string, unknown>, string][] = [
    ["circuit_breaker.requests", { circuit_breaker: { requests: -1 } }, "circuit_breaker:\n  requests: -1\n"],
    ["sqlitedb.hash_type", { sqlitedb: { hash_type: "sha1" } }, "sqlitedb:\n  hash_type: sha1\n"],
    [
      "segment_manager.hnsw_index_pool_cache_config",
      { segment_manager: { hnsw_index_pool_cache_config: { policy: "memory", capacity: 5 } } },
      "segment_manager:\n  hnsw_index_pool_cache_config:\n    policy: memory\n    capacity: 5\n",
    ],
  ];
  for (const [path, extraConfig, yaml] of refused) {
    t.throws(
      () => render({ chromadb: { apiVersion: version, extraConfig } }),
      { message: new RegExp(`chromadb\\.extraConfig\\.${path.replaceAll(".", "\\.")}: Chroma`) },
      `vet refuses ${path}`,
    );
    t.match(await startError(yaml), /exited before the pod was ready[\s\S]*Error loading config/, `and Chroma ${version} does not start with it`);
  }
});

t.test(`Chroma ${version}: chromadb.maxPayloadSizeBytes (the chart's) refuses a larger request`, async (t) => {
  requireVenv(version);
  const { runner, port } = await loopbackPod(version, { chromadb: { maxPayloadSizeBytes: 200_000 } });
  const pod = await runner.start();
  const base = "/api/v2/tenants/default_tenant/databases/default_database/collections";
  const id = (JSON.parse((await http(port, base, { method: "POST", body: { name: "payload" } })).body) as { id: string }).id;
  const add = (n: number) =>
    http(port, `${base}/${id}/add`, {
      method: "POST",
      body: { ids: Array.from({ length: n }, (_, k) => `id-${n}-${k}`), embeddings: Array.from({ length: n }, () => Array(64).fill(0.123456789)) },
    });
  const small = await add(100); // about 80 kB
  const large = await add(400); // about 320 kB
  await pod.stop();
  t.equal(small.status, 201, "below the limit");
  t.equal(large.status, 413, `above it: ${large.body.slice(0, 200)}`);
});
