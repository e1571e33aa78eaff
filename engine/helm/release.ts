/**
 * A Helm release as Helm stores it in the cluster (its default "secret" storage driver): one Secret per revision,
 * `sh.helm.release.v1.<release>.v<revision>`, labelled `owner=helm, name=<release>, version=<revision>`, whose key
 * `release` holds base64(gzip(JSON)) of the release (Helm 3 and 4 write the same record). Read here, never written:
 * `chroma-mod import helm --from-release` takes the values from it and `apply --adopt-helm` the objects it owns.
 * Generic: nothing here knows which chart the release is of.
 */
import { gunzipSync } from "node:zlib";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../../core/types.ts";
import { UserError } from "../errors.ts";
import type { KubeClient } from "../kube/client.ts";

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  /** The revision (`helm history`'s REVISION). */
  readonly revision: number;
  /** deployed, failed, superseded, pending-install, pending-upgrade, pending-rollback, uninstalling… */
  readonly status: string;
  readonly chart: { readonly name: string; readonly version: string; readonly appVersion: string | undefined };
  /** The values the chart rendered with: its defaults under the user's (`helm get values --all`). */
  readonly values: { [key: string]: Json };
  /** The objects of the release's manifest (hooks are not part of it: Helm keeps them apart and never owns them). */
  readonly objects: readonly KubeObject[];
  /** The Secrets that hold the release's revisions (what `helm uninstall` would remove with the objects). */
  readonly storage: readonly string[];
}

interface StoredRelease {
  name?: string;
  namespace?: string;
  version?: number;
  info?: { status?: string };
  chart?: { metadata?: { name?: string; version?: string; appVersion?: string }; values?: { [key: string]: Json } | null };
  config?: { [key: string]: Json } | null;
  manifest?: string;
}

const isMap = (v: unknown): v is { [key: string]: Json } => typeof v === "object" && v !== null && !Array.isArray(v);

/** Helm's own merge of user values over chart defaults: maps merge key by key, anything else replaces; null deletes. */
export function mergeValues(defaults: { [key: string]: Json }, user: { [key: string]: Json }): { [key: string]: Json } {
  const out: { [key: string]: Json } = { ...defaults };
  for (const [key, value] of Object.entries(user)) {
    if (value === null) delete out[key];
    else if (isMap(value) && isMap(out[key])) out[key] = mergeValues(out[key] as { [key: string]: Json }, value);
    else out[key] = value;
  }
  return out;
}

/** The release record of one storage Secret: base64 (the Secret's data) of base64 of gzip (or plain) JSON. */
export function decodeRelease(secret: KubeObject): StoredRelease {
  const data = (secret.data as { release?: string } | undefined)?.release;
  if (!data) throw new Error("it has no key release");
  const inner = Buffer.from(Buffer.from(data, "base64").toString("utf8"), "base64");
  // Helm gzips the record (magic 1f 8b); a record written without compression is read as it is, as Helm does.
  const json = inner[0] === 0x1f && inner[1] === 0x8b ? gunzipSync(inner).toString("utf8") : inner.toString("utf8");
  return JSON.parse(json) as StoredRelease;
}

/** The objects of a rendered manifest (`---`-separated YAML; empty documents skipped). */
export function manifestObjects(manifest: string): KubeObject[] {
  return parseAllDocuments(manifest)
    .map((d) => d.toJS() as unknown)
    .filter((o): o is KubeObject => isMap(o) && typeof o.kind === "string" && isMap(o.metadata));
}

// Listed by label, so every Secret here has labels; one without `version` gives NaN and is not read.
const revisionOf = (s: KubeObject) => Number((s.metadata.labels as Record<string, string>).version);

/** The release's newest revision, read from its storage Secrets in `namespace`; a UserError when there is none. */
export async function readRelease(client: KubeClient, namespace: string, name: string): Promise<HelmRelease> {
  const secrets = (await client.list("v1", "Secret", { namespace, labelSelector: `owner=helm,name=${name}` }))
    .filter((s) => Number.isInteger(revisionOf(s)))
    .sort((a, b) => revisionOf(b) - revisionOf(a));
  const newest = secrets[0];
  if (!newest) {
    throw new UserError(
      `No Helm release "${name}" in namespace "${namespace}": no Secret labelled owner=helm,name=${name} there.`,
      `Check the name and namespace with helm list -A (a release stored with HELM_DRIVER=configmap or sql is not read: chroma-mod reads Helm's default Secret storage).`,
    );
  }
  let stored: StoredRelease;
  try {
    stored = decodeRelease(newest);
  } catch (e) {
    throw new UserError(
      `Secret ${namespace}/${newest.metadata.name} is labelled as Helm release "${name}" but is not a release Helm wrote: ${(e as Error).message}.`,
      "Check the Secret (kubectl get secret -o yaml); helm history names the revisions Helm can read.",
    );
  }
  const chart = stored.chart?.metadata ?? {};
  return {
    name,
    namespace,
    revision: revisionOf(newest),
    status: stored.info?.status ?? "unknown",
    chart: { name: chart.name ?? "unknown", version: chart.version ?? "unknown", appVersion: chart.appVersion },
    values: mergeValues(stored.chart?.values ?? {}, stored.config ?? {}),
    objects: manifestObjects(stored.manifest ?? ""),
    storage: secrets.map((s) => s.metadata.name),
  };
}
