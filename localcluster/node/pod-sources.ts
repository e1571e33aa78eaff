/**
 * What a pod on the local node reads through the API server before it starts: the ConfigMaps and Secrets it
 * references (Secrets decoded), the tokens of its projected serviceAccountToken sources (requested as the kubelet
 * does, bound to the pod), and the host directory of each claim (the hostPath of its bound PersistentVolume).
 */
import { mkdirSync } from "node:fs";
import type { KubeClient } from "../../engine/kube/client.ts";
import type { Pod } from "./kube.ts";

/** ConfigMaps and Secrets the pod references, read through the API server (decoded). */
export async function podSources(
  client: KubeClient,
  pod: Pod,
): Promise<{ maps: Map<string, Record<string, string>>; secrets: Map<string, Record<string, string>> }> {
  const maps = new Map<string, Record<string, string>>();
  const secrets = new Map<string, Record<string, string>>();
  const ns = pod.metadata.namespace!;
  const mapNames = new Set<string>();
  const secretNames = new Set<string>();
  for (const v of pod.spec.volumes ?? []) {
    if (v.configMap) mapNames.add(v.configMap.name);
    if (v.secret) secretNames.add(v.secret.secretName);
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) mapNames.add(s.configMap.name);
      if (s.secret) secretNames.add(s.secret.name);
    }
  }
  for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
    for (const e of c.env ?? []) {
      if (e.valueFrom?.configMapKeyRef) mapNames.add(e.valueFrom.configMapKeyRef.name);
      if (e.valueFrom?.secretKeyRef) secretNames.add(e.valueFrom.secretKeyRef.name);
    }
    for (const f of c.envFrom ?? []) {
      if (f.configMapRef) mapNames.add(f.configMapRef.name);
      if (f.secretRef) secretNames.add(f.secretRef.name);
    }
  }
  for (const name of mapNames) {
    const o = await client.get({ apiVersion: "v1", kind: "ConfigMap", name, namespace: ns });
    if (o) maps.set(name, { ...((o as { data?: Record<string, string> }).data ?? {}) });
  }
  for (const name of secretNames) {
    const o = await client.get({ apiVersion: "v1", kind: "Secret", name, namespace: ns });
    if (o) {
      const data = (o as { data?: Record<string, string> }).data ?? {};
      secrets.set(name, Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")])));
    }
  }
  return { maps, secrets };
}

/**
 * A token for each audience of the pod's projected serviceAccountToken sources ("": the API server's own), from the
 * TokenRequest API, bound to the pod (it stops being valid when the pod goes). Requested once per start of the pod
 * on this node and not refreshed: a token of the ServiceAccount admission's volume (3607 s) is valid for a year, as
 * the API server extends those by default. `failed` says why a token is missing (the container then cannot start).
 */
export async function podTokens(client: KubeClient, pod: Pod): Promise<{ tokens: Map<string, string>; failed?: string }> {
  const tokens = new Map<string, string>();
  const account = pod.spec.serviceAccountName ?? "default";
  const ns = pod.metadata.namespace!;
  for (const v of pod.spec.volumes ?? []) {
    for (const s of v.projected?.sources ?? []) {
      const request = s.serviceAccountToken;
      const audience = request?.audience ?? "";
      if (!request || tokens.has(audience)) continue;
      const res = await client.raw({
        method: "POST",
        path: `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(account)}/token`,
        body: {
          apiVersion: "authentication.k8s.io/v1",
          kind: "TokenRequest",
          spec: {
            audiences: audience ? [audience] : [],
            expirationSeconds: request.expirationSeconds ?? 3607,
            boundObjectRef: { apiVersion: "v1", kind: "Pod", name: pod.metadata.name, uid: pod.metadata.uid },
          },
        },
      });
      const token = (res.body as { status?: { token?: string } } | undefined)?.status?.token;
      if (res.status >= 300 || !token) {
        const why = (res.body as { message?: string } | undefined)?.message ?? `HTTP ${res.status}`;
        return { tokens, failed: `cannot request a token of service account ${ns}/${account} for volume ${v.name}: ${why}` };
      }
      tokens.set(audience, token);
    }
  }
  return { tokens };
}

/** The host directory of each claim: the hostPath of the PersistentVolume it is bound to; or why not. */
export async function claimDirs(client: KubeClient, pod: Pod): Promise<Map<string, string> | string> {
  const out = new Map<string, string>();
  for (const v of pod.spec.volumes ?? []) {
    if (!v.persistentVolumeClaim) continue;
    const claim = v.persistentVolumeClaim.claimName;
    const pvc = await client.get({ apiVersion: "v1", kind: "PersistentVolumeClaim", name: claim, namespace: pod.metadata.namespace! });
    const volumeName = (pvc?.["spec"] as { volumeName?: string } | undefined)?.volumeName;
    if (!volumeName) return `PersistentVolumeClaim ${claim} is not bound`;
    const pv = await client.get({ apiVersion: "v1", kind: "PersistentVolume", name: volumeName });
    const path = (pv?.["spec"] as { hostPath?: { path?: string }; local?: { path?: string } } | undefined)?.hostPath?.path;
    if (!path) return `PersistentVolume ${volumeName} has no hostPath the local node can use`;
    mkdirSync(path, { recursive: true });
    out.set(claim, path);
  }
  return out;
}
