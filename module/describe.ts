/** What `status` shows of a running Chroma instance, read from its live objects, and how clients reach it (pure). */
import type { Access, Description, KubeObject } from "../core/types.ts";
import type { Values } from "../schemas/values.ts";
import { resolveInstance, type InstanceContext } from "./instance.ts";

/**
 * The running Chroma version is the live StatefulSet's `app.kubernetes.io/version` label, the one the module
 * renders from `chromadb.apiVersion` (Chroma 1.x answers /api/v2/version with "1.0.0" whatever it runs).
 */
export function describeInstance(live: readonly KubeObject[]): Description {
  const workload = live.find((o) => o.kind === "StatefulSet");
  const chromaVersion = workload?.metadata.labels?.["app.kubernetes.io/version"];
  return { summary: `Chroma ${chromaVersion ?? "unknown"}`, fields: { chromaVersion } };
}

/** The Service port clients use, and the command that reads the credentials (never the credentials themselves). */
export function accessInstance(values: Values, context: InstanceContext): Access {
  const instance = resolveInstance(values, context);
  const { auth } = values.chromadb;
  const secret = instance.names.authSecret;
  const read = (key: string) => `kubectl -n ${context.namespace} get secret ${secret} -o jsonpath='{.data.${key}}' | base64 -d`;
  const header = /^authorization$/i.test(auth.token.tokenHeader) ? "Authorization: Bearer <token>" : "X-Chroma-Token: <token>";
  const credentials =
    secret === undefined
      ? undefined
      : auth.type === "basic"
        ? `user: ${read("username")}; password: ${read("password")}`
        : `${header}; token: ${read("token")}`;
  const tls = instance.tls && {
    ...(instance.tls.source === "secretName"
      ? {}
      : { ca: `CA: kubectl -n ${context.namespace} get secret ${instance.tls.secret} -o jsonpath='{.data.ca\\.crt}' | base64 -d` }),
  };
  return {
    summary: `Chroma ${instance.version}`,
    service: instance.names.service,
    port: "http",
    ...(credentials ? { credentials } : {}),
    ...(tls ? { tls } : {}),
  };
}
