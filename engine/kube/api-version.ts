/** `apps/v1` → {group: "apps", version: "v1"}; `v1` → {group: "", version: "v1"}. Kept apart from the client so
 * that pure code (ids, ordering) does not load @kubernetes/client-node. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf("/");
  return i < 0 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}
