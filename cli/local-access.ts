/**
 * Where an instance applied to the local cluster answers: the loopback port the local node gave its Service, and
 * how to read its credentials (the module says which Service and Secret; the local cluster says which port).
 */
import type { EvaluatedInstance } from "../engine/evaluate.ts";
import { chromaModule } from "../module/index.ts";
import type { Values } from "../schemas/values.ts";

/**
 * One line per instance: `dev: Chroma 1.5.9 ready at http://127.0.0.1:8000 (token: …)`. The node serves a Service
 * on loopback as soon as one of its pods runs (long before it is Ready), so after `apply` waited, it is there.
 */
export async function accessLines(instances: readonly EvaluatedInstance<Values>[], verb: string): Promise<string[]> {
  const { serviceAddress } = await import("../localcluster/cluster.ts");
  const lines: string[] = [];
  for (const instance of instances) {
    const access = chromaModule.access(instance.values, { name: instance.name, namespace: instance.namespace });
    const port = serviceAddress(instance.namespace, access.service)[access.port];
    const where =
      port === undefined
        ? "not reachable on loopback yet (no running pod of it on the local node)"
        : `${verb} at ${access.tls ? "https" : "http"}://127.0.0.1:${port}`;
    const hints = [access.credentials, access.tls?.ca].filter((hint) => hint !== undefined);
    lines.push(`${instance.name}: ${access.summary} ${where}${hints.length > 0 && port !== undefined ? ` (${hints.join("; ")})` : ""}`);
  }
  return lines;
}

/**
 * The Chroma versions the local node will install on first use (no virtualenv of them yet): said before `apply`
 * waits, since that install takes minutes.
 */
export async function firstUseNote(instances: readonly EvaluatedInstance<Values>[]): Promise<string | undefined> {
  const { imageKind } = await import("../localcluster/node/images.ts");
  const { pypiStandIn, venvReady } = await import("../localcluster/node/venv.ts");
  const versions = new Set<string>();
  for (const o of instances.flatMap((i) => i.objects)) {
    const containers = (o as { spec?: { template?: { spec?: { containers?: { image: string }[] } } } }).spec?.template?.spec?.containers ?? [];
    for (const c of containers) {
      const kind = imageKind(c.image);
      if (kind.kind !== "chroma") continue;
      const wheel = pypiStandIn(kind.version);
      if (!venvReady(wheel)) versions.add(wheel === kind.version ? wheel : `${wheel} (for ${kind.version}, which has no PyPI release)`);
    }
  }
  if (versions.size === 0) return undefined;
  const list = [...versions].sort().join(", ");
  return `local node: Chroma ${list} will be installed from PyPI into a virtualenv on first use (a few minutes; then cached under the cache dir's venvs/)`;
}
