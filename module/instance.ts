/** An instance's resolved facts every template shares: names, labels, gates, version-dependent defaults. */
import type { Values } from "../schemas/values.ts";
import { gatesFor, type Gates } from "./gates.ts";

export interface InstanceContext {
  readonly name: string;
  readonly namespace: string;
}

export interface Instance extends InstanceContext {
  readonly values: Values;
  readonly version: string;
  readonly gates: Gates;
  /** The proxy sidecar runs in front of Chroma, which then listens on loopback: for auth, for TLS, or both. */
  readonly proxied: boolean;
  /**
   * Auth on (any version): the sidecar authenticates every request in front of Chroma, so a request without valid
   * credentials never reaches Chroma.
   */
  readonly proxyAuth: boolean;
  /** TLS on: the sidecar serves the API port over TLS with the certificate in Secret `secret`. */
  readonly tls: { readonly secret: string; readonly source: TlsSource } | undefined;
  /** The Chroma server checks the credentials itself too (0.x, which has built-in auth; 1.x has none). */
  readonly serverAuth: boolean;
  readonly persistDirectory: string;
  readonly names: {
    readonly config: string;
    readonly authSecret: string | undefined;
    readonly serviceAccount: string;
    readonly service: string;
    readonly workload: string;
  };
  readonly selectorLabels: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

const moduleName = "chroma";

/** Where a certificate can come from: the `tls` value that asks for it. */
export type TlsSource = "secretName" | "generate" | "certManager";

/** The certificate sources `tls` sets, in the order of precedence (vet refuses more than one). */
export function tlsSources(tls: Values["tls"]): TlsSource[] {
  return (["secretName", "generate", "certManager"] as const).filter((key) => (key === "generate" ? tls.generate : tls[key] !== undefined));
}

export function resolveInstance(values: Values, context: InstanceContext): Instance {
  const { name, namespace } = context;
  const { chromadb } = values;
  const version = chromadb.apiVersion;
  const gates = gatesFor(version);
  // The Helm chart's nameOverride and fullnameOverride: the name label, and the base of every object name.
  const base = values.fullnameOverride ?? name;
  const selectorLabels = { "app.kubernetes.io/name": values.nameOverride ?? moduleName, "app.kubernetes.io/instance": name };
  const authStyle = chromadb.auth.type === "basic" ? gates.basicAuth : gates.tokenAuth;
  const proxyAuth = chromadb.auth.enabled && authStyle !== undefined;
  const { tls } = values;
  const [tlsSource] = tlsSources(tls);
  return {
    name,
    namespace,
    values,
    version,
    gates,
    proxied: proxyAuth || tlsSource !== undefined,
    proxyAuth,
    tls: tlsSource && { secret: tls.secretName ?? `${base}-tls`, source: tlsSource },
    serverAuth: chromadb.auth.enabled && authStyle !== undefined && authStyle !== "proxy",
    persistDirectory: chromadb.persistDirectory ?? gates.imageDataDirectory,
    names: {
      config: `${base}-config`,
      authSecret: chromadb.auth.enabled ? (chromadb.auth.existingSecret ?? `${base}-auth`) : undefined,
      serviceAccount: values.serviceAccount.name ?? (values.serviceAccount.create ? base : "default"),
      service: base,
      workload: base,
    },
    selectorLabels,
    labels: {
      ...values.labels,
      ...selectorLabels,
      "app.kubernetes.io/version": version,
      "app.kubernetes.io/component": "vector-database",
    },
    annotations: { ...values.annotations },
  };
}

/** Standard metadata for an object of the instance. */
export function metadataFor(instance: Instance, name: string, extra: { labels?: Record<string, string>; annotations?: Record<string, string> } = {}) {
  const annotations = { ...instance.annotations, ...extra.annotations };
  return {
    name,
    namespace: instance.namespace,
    labels: { ...extra.labels, ...instance.labels },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}
