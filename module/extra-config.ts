/**
 * The keys of Chroma's 1.x config file that the Helm chart sets and `chromadb.extraConfig` carries, checked as Chroma
 * checks them when it loads the file (read from a 1.5.9 server's own errors: `expected u32`, `unknown variant`,
 * `expected map with a single key`), so `vet` refuses what would stop the server at start. Any other key is passed
 * through unchecked: Chroma decides.
 */
import type { ValueIssue } from "../core/issues.ts";

const cachePolicies = ["unbounded", "disk", "lfu", "lru", "memory", "weighted_lru", "nop"] as const;
const hashTypes = ["md5", "sha256"] as const;

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const U32_MAX = 4_294_967_295;

/** Problems with the chart's keys in extraConfig, each with its path under chromadb.extraConfig. */
export function extraConfigIssues(extra: Record<string, unknown>): ValueIssue[] {
  const issues: ValueIssue[] = [];
  const at = (path: string, message: string) => issues.push({ path: `chromadb.extraConfig.${path}`, message });
  const breaker = extra.circuit_breaker;
  if (isMap(breaker) && breaker.requests !== undefined) {
    const n = breaker.requests;
    if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > U32_MAX)
      at(
        "circuit_breaker.requests",
        "Chroma reads a whole number of requests from 0 (no limit) to 4294967295 and refuses to start on anything else. Fix: e.g. 100.",
      );
  }
  const sqlite = extra.sqlitedb;
  if (isMap(sqlite) && sqlite.hash_type !== undefined && !hashTypes.includes(sqlite.hash_type as never))
    at("sqlitedb.hash_type", `Chroma knows the hash types ${hashTypes.join(" and ")} only and refuses to start on another. Fix: one of them.`);
  const segments = extra.segment_manager;
  const pool = isMap(segments) ? segments.hnsw_index_pool_cache_config : undefined;
  if (pool !== undefined) {
    const keys = isMap(pool) ? Object.keys(pool) : [];
    if (keys.length !== 1 || !cachePolicies.includes(keys[0] as never))
      at(
        "segment_manager.hnsw_index_pool_cache_config",
        `Chroma reads a map with one key, the cache policy (${cachePolicies.join(", ")}), holding its settings, and refuses to start on anything else. Fix: e.g. { memory: { capacity: 1000 } }.`,
      );
  }
  return issues;
}
