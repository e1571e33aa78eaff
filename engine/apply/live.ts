/**
 * What apply and diff read of the cluster, shared by every instance of one run: one LIST per kind and namespace of
 * the objects chroma-mod manages (label app.kubernetes.io/managed-by=chroma-mod) instead of one GET per object; for
 * an object that list does not hold, one LIST of the names (metadata only) of every object of its kind there tells
 * whether it exists at all (a first apply: nothing to read), and only one that exists unlabelled (adopted, or its
 * labels removed by hand) is read with a GET. Lists are read once, when the first object of their kind and namespace
 * is planned: instances of one run own different objects, so what one instance writes never changes what another
 * one read.
 */
import type { KubeObject } from "../../core/types.ts";
import type { KubeClient } from "../kube/client.ts";
import { ApiError, ForbiddenError, type ObjectRef } from "../kube/errors.ts";
import { MANAGED_BY, TOOL } from "./labels.ts";

export class LiveReader {
  private readonly lists = new Map<string, Promise<Map<string, KubeObject> | undefined>>();
  private readonly names = new Map<string, Promise<Set<string> | undefined>>();
  private readonly claimLists = new Map<string, Promise<KubeObject[]>>();
  private readonly namespaces = new Map<string, Promise<KubeObject | undefined>>();

  constructor(readonly client: KubeClient) {}

  /**
   * The live object, from its kind's list when it is labelled as ours; else, when the names of its kind (read once, on
   * the first such miss) do not hold it, absent; else by GET. Undefined when absent.
   */
  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    const m = await this.client.lookup(ref.apiVersion, ref.kind);
    if (!m) return this.client.get(ref); // throws KindNotFoundError
    const namespace = m.namespaced ? ref.namespace : undefined;
    const key = `${ref.apiVersion}/${ref.kind}/${namespace ?? ""}`;
    const ours = await memo(this.lists, key, () =>
      this.client
        .list(ref.apiVersion, ref.kind, { namespace, labelSelector: `${MANAGED_BY}=${TOOL}` })
        .then((items) => new Map(items.map((o) => [o.metadata.name, o]))),
    );
    const hit = ours?.get(ref.name);
    if (hit) return hit;
    if (ours) {
      const existing = await memo(this.names, key, () => this.client.listNames(ref.apiVersion, ref.kind, namespace));
      if (existing && !existing.has(ref.name)) return undefined;
    }
    return this.client.get(ref); // there, but not labelled as ours (yet): adopted, or its labels removed by hand
  }

  /** A namespace; only one that exists is remembered (the run may create it). */
  namespace(name: string): Promise<KubeObject | undefined> {
    return once(this.namespaces, name, () => {
      const found = this.client.get({ apiVersion: "v1", kind: "Namespace", name });
      found.then(
        (ns) => ns ?? this.namespaces.delete(name),
        () => this.namespaces.delete(name),
      );
      return found;
    });
  }

  /** Every PersistentVolumeClaim of a namespace (StatefulSets' claims carry their pods' labels, not ours). */
  claims(namespace: string): Promise<KubeObject[]> {
    return once(this.claimLists, namespace, () => this.client.list("v1", "PersistentVolumeClaim", { namespace }));
  }
}

/** What `read` answers for `key`, read once per run. */
function once<T>(cache: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let found = cache.get(key);
  if (!found) {
    found = read();
    cache.set(key, found);
  }
  return found;
}

/**
 * A list read once per run. Allowed to get but not to list, or a kind whose CRD this run just created and the API
 * server does not serve yet: undefined (one GET per object then).
 */
function memo<T>(cache: Map<string, Promise<T | undefined>>, key: string, read: () => Promise<T>): Promise<T | undefined> {
  return once(cache, key, () =>
    read().catch((e: unknown) => (e instanceof ForbiddenError || (e instanceof ApiError && e.status === 404) ? undefined : Promise.reject(e))),
  );
}
