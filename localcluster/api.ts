/**
 * Requests to the cluster's apiserver: all through the project's one Kubernetes client (engine/kube/client.ts), as
 * the admin of the admin kubeconfig.
 */
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { KubeClient } from "../engine/kube/client.ts";
import type { LocalClusterPaths } from "./paths.ts";

/** The field manager of what the local cluster applies itself (node, StorageClass, PersistentVolumes). */
const FIELD_MANAGER = "chroma-mod-localcluster";

/**
 * A client on the admin kubeconfig. One attempt per request (a start polls on its own, and a request that fails
 * says so at once), 10 s each.
 */
export function adminClient(paths: LocalClusterPaths): KubeClient {
  return KubeClient.load({
    kubeconfig: paths.kubeconfig,
    fieldManager: FIELD_MANAGER,
    userAgent: FIELD_MANAGER,
    retry: { attempts: 1 },
    requestTimeoutMs: 10_000,
  });
}

/** GET /readyz answered "ok"; false when it answered anything else or nothing. */
export async function readyz(client: KubeClient): Promise<boolean> {
  try {
    const r = await client.raw({ method: "GET", path: "/readyz" });
    return r.status === 200 && String(r.body).trim() === "ok";
  } catch {
    return false;
  }
}

/** Whether the apiserver of the admin kubeconfig is ready; false also when there is no usable admin kubeconfig. */
export async function isReady(paths: LocalClusterPaths): Promise<boolean> {
  let client: KubeClient;
  try {
    client = adminClient(paths);
  } catch {
    return false;
  }
  try {
    return await readyz(client);
  } finally {
    client.close();
  }
}

/**
 * `fn`'s failures (the client's errors: refused, invalid, unreachable) as local-cluster errors whose fix names the
 * apiserver's log.
 */
export async function refusals<T>(paths: LocalClusterPaths, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw new UserError(
      `Local cluster: ${(e as Error).message}`,
      `The local kube-apiserver refused the request or did not answer: the message above says why (${join(paths.logDir, "kube-apiserver.log")} ` +
        `has more); fix the option it names, then run the command again.`,
    );
  }
}
