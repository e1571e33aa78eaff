/**
 * Where an instance applied to the local cluster answers: the loopback port the local node gave its Service, and
 * how to read its credentials (the module says which Service and Secret; the local cluster says which port).
 */
import type { EvaluatedInstance } from "../engine/evaluate.ts";
import { chromaModule } from "../module/index.ts";
import type { Values } from "../schemas/values.ts";

/** One line per instance: `dev: Chroma 1.5.9 at http://127.0.0.1:8000 (token: …)`; waits up to `waitMs` for the port. */
export async function accessLines(instances: readonly EvaluatedInstance<Values>[], verb: string, waitMs = 0): Promise<string[]> {
  const { serviceAddress } = await import("../localcluster/cluster.ts");
  const lines: string[] = [];
  for (const instance of instances) {
    const access = chromaModule.access(instance.values, { name: instance.name, namespace: instance.namespace });
    let port: number | undefined;
    for (const deadline = Date.now() + waitMs; ; ) {
      port = serviceAddress(instance.namespace, access.service)[access.port];
      if (port !== undefined || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const where = port === undefined ? "not reachable on loopback yet (no running pod of it on the local node)" : `${verb} at http://127.0.0.1:${port}`;
    lines.push(`${instance.name}: ${access.summary} ${where}${access.credentials && port !== undefined ? ` (${access.credentials})` : ""}`);
  }
  return lines;
}
