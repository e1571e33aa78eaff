/** What `status` shows of a running Chroma instance, read from its live objects (pure). */
import type { Description, KubeObject } from "../core/types.ts";

/**
 * The running Chroma version is the live StatefulSet's `app.kubernetes.io/version` label, the one the module
 * renders from `chromadb.apiVersion` (Chroma 1.x answers /api/v2/version with "1.0.0" whatever it runs).
 */
export function describeInstance(live: readonly KubeObject[]): Description {
  const workload = live.find((o) => o.kind === "StatefulSet");
  const chromaVersion = workload?.metadata.labels?.["app.kubernetes.io/version"];
  return { summary: `Chroma ${chromaVersion ?? "unknown"}`, fields: { chromaVersion } };
}
