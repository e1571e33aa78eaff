/**
 * The Helm chart's 0.x `chromadb.maintenance` (collection_cache_policy LRU, collection_cache_limit_bytes), which
 * `import helm` carries as the env vars the chart set (extraEnv CHROMA_SEGMENT_CACHE_POLICY, CHROMA_MEMORY_LIMIT_BYTES),
 * in effect on a real 0.6.3 server: with a limit smaller than one collection, each collection loaded evicts the one
 * before ("LRU cache evict collection", logged by Chroma's segment manager at INFO), and every collection is still
 * served; without, nothing is evicted.
 */
import t from "tap";
import type { ValuesInput } from "../../schemas/values.ts";
import { loopbackPod, pythonClient, requireVenv } from "./harness.ts";

const version = "0.6.3";

/** Writes three collections, reads each back; the results and the server's log. */
async function run(values: ValuesInput): Promise<{ reads: boolean[]; log: string }> {
  const { runner, port } = await loopbackPod(version, { ...values, chromadb: { ...values.chromadb, logging: { chromadb: "INFO" } } });
  const pod = await runner.start();
  const names = ["alpha", "beta", "gamma"];
  const wrote = await pythonClient(
    version,
    port,
    names.map((n) => ({ name: `write-${n}`, op: "write" as const, collection: n })),
  );
  const read = await pythonClient(
    version,
    port,
    names.map((n) => ({ name: `read-${n}`, op: "read" as const, collection: n })),
  );
  await pod.stop();
  return { reads: names.map((n) => Boolean(wrote.get(`write-${n}`)?.ok && read.get(`read-${n}`)?.result?.exists)), log: pod.log("chroma") };
}

t.test(`Chroma ${version}: the chart's maintenance (LRU segment cache) evicts collections past its limit`, async (t) => {
  requireVenv(version);
  const lru = await run({
    extraEnv: [
      { name: "CHROMA_SEGMENT_CACHE_POLICY", value: "LRU" },
      { name: "CHROMA_MEMORY_LIMIT_BYTES", value: "1" },
    ],
  });
  t.same(lru.reads, [true, true, true], "every collection written and read back");
  t.match(lru.log, /LRU cache evict collection [0-9a-f-]{36}/, "collections evicted from the cache");
  const plain = await run({});
  t.same(plain.reads, [true, true, true]);
  t.notMatch(plain.log, /LRU cache evict/, "without it, none");
});
