/**
 * TLS of the API port (the proxy sidecar serves it): the names a certificate must hold, and where it comes from —
 * the user's Secret (nothing rendered), a certificate the engine issues once (a generated Secret), or a cert-manager
 * Certificate.
 */
import { KEEP_ANNOTATION, type GeneratedSecret, type KubeObject } from "../../core/types.ts";
import { metadataFor, type Instance } from "../instance.ts";

/** The Service's DNS names (short to fully qualified under cluster.local), the values' own, and loopback for port-forwards. */
function certificateNames(instance: Instance): string[] {
  const service = instance.names.service;
  const ns = instance.namespace;
  const names = [service, `${service}.${ns}`, `${service}.${ns}.svc`, `${service}.${ns}.svc.cluster.local`, ...instance.values.tls.dnsNames, "localhost"];
  return [...new Set(names)];
}

/** The Secret `apply` fills with a CA and a server certificate once (`tls.generate`). */
export function tlsSecret(instance: Instance): GeneratedSecret | undefined {
  if (instance.tls?.source !== "generate") return undefined;
  const metadata = metadataFor(instance, instance.tls.secret, { annotations: { [KEEP_ANNOTATION]: "true" } });
  return {
    metadata: { ...metadata, namespace: instance.namespace },
    type: "kubernetes.io/tls",
    generate: {},
    certificate: {
      commonName: `${instance.names.service}.${instance.namespace}.svc`,
      dnsNames: certificateNames(instance),
      ipAddresses: ["127.0.0.1"],
      days: instance.values.tls.days,
    },
  };
}

/** The cert-manager Certificate (`tls.certManager`): issued into the Secret the proxy mounts, renewed by cert-manager. */
export function renderCertificate(instance: Instance): KubeObject | undefined {
  const certManager = instance.values.tls.certManager;
  if (instance.tls?.source !== "certManager" || !certManager) return undefined;
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: metadataFor(instance, instance.tls.secret),
    spec: {
      secretName: instance.tls.secret,
      commonName: `${instance.names.service}.${instance.namespace}.svc`,
      dnsNames: certificateNames(instance),
      ipAddresses: ["127.0.0.1"],
      usages: ["server auth", "digital signature", "key encipherment"],
      privateKey: { algorithm: "RSA", size: 2048, rotationPolicy: "Always" },
      issuerRef: certManager.issuerRef,
    },
  };
}

/** The hint of `apply` and `diff` on a cluster without cert-manager's CRDs (module.kindHints). */
export const kindHints = {
  "cert-manager.io/v1/Certificate":
    "tls.certManager needs cert-manager: its CustomResourceDefinition certificates.cert-manager.io is not installed in this cluster. Install cert-manager (https://cert-manager.io/docs/installation/, e.g. `kubectl apply -f https://github.com/cert-manager/cert-manager/releases/download/v1.21.2/cert-manager.yaml`), or use tls.generate: true or tls.secretName instead.",
} as const;
