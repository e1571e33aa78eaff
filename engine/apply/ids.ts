/** Object identities: inventory ids (as Timoni/cli-utils write them) and kubectl ApplySet ids. */
import { createHash } from "node:crypto";
import { splitApiVersion } from "../kube/api-version.ts";

/** `<ns>_<name>_<group>_<kind>`; `:` in names (RBAC) becomes `__`; cluster-scoped objects have an empty ns. */
export function objectId(obj: {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string | undefined };
}): string {
  const { group } = splitApiVersion(obj.apiVersion);
  return [obj.metadata.namespace ?? "", obj.metadata.name.replaceAll(":", "__"), group, obj.kind].join("_");
}

/** `Kind` for the core group, `Kind.group` otherwise (Kubernetes' GroupKind.String()). */
export function groupKind(apiVersion: string, kind: string): string {
  const { group } = splitApiVersion(apiVersion);
  return group ? `${kind}.${group}` : kind;
}

/** The ApplySet id kubectl computes for a parent: applyset-<base64url(sha256("name.ns.Kind.group"))>-v1. */
export function applySetId(name: string, namespace: string, kind = "Secret", group = ""): string {
  const digest = createHash("sha256").update(`${name}.${namespace}.${kind}.${group}`).digest("base64url");
  return `applyset-${digest}-v1`;
}

/** Human reference used in events and results: `Deployment/demo/web` or `ClusterRole/reader`. */
export function displayName(ref: { readonly kind: string; readonly name: string; readonly namespace?: string | undefined }): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}
