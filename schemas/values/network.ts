/** How clients reach Chroma: the Service, the Ingress and the 1.x authenticating proxy sidecar. */
import * as v from "valibot";
import { strictObject } from "../../core/issues.ts";
import { annotationMapSchema, labelMapSchema, labelSelector, objectName, resourcesSchema } from "../kube.ts";
import { cidr, doc, imageRepository, imageTag, port } from "./formats.ts";

/** A host an Ingress routes (a DNS name, `*.` allowed in front; not an IP address). */
const ingressHost = v.pipe(
  v.string(),
  v.regex(
    /^(?![0-9.]+$)(?=.{1,253}$)(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "a DNS host name such as chroma.example.com (or *.example.com), not an IP address",
  ),
);

export const serviceSchema = v.pipe(
  v.optional(
    strictObject({
      type: v.pipe(v.optional(v.picklist(["ClusterIP", "NodePort", "LoadBalancer"]), "ClusterIP"), doc("Service type.")),
      port: v.pipe(v.optional(port, 8000), doc("Service port, independent of the container port.")),
      nodePort: v.pipe(v.optional(v.pipe(v.number(), v.integer(), v.minValue(30000), v.maxValue(32767))), doc("Node port (type NodePort/LoadBalancer).")),
      annotations: annotationMapSchema("Service annotations."),
      labels: labelMapSchema("Extra Service labels."),
      loadBalancerSourceRanges: v.pipe(v.optional(v.array(cidr)), doc("Allowed client CIDRs (type LoadBalancer).")),
    }),
    {},
  ),
  doc("The Service in front of Chroma."),
);

export const ingressSchema = v.pipe(
  v.optional(
    strictObject({
      enabled: v.optional(v.boolean(), false),
      className: v.pipe(v.optional(objectName("an IngressClass")), doc("IngressClass name.")),
      annotations: annotationMapSchema("Ingress annotations."),
      hosts: v.optional(
        v.array(
          strictObject({
            host: ingressHost,
            paths: v.optional(
              v.pipe(
                v.array(
                  strictObject({
                    path: v.optional(
                      v.pipe(
                        v.string(),
                        v.regex(/^\/(?!.*(\/\/|\/\.\.?(\/|$)|%2[fF]))[^\s]*$/, "an absolute URL path like / or /api (no '//', '/./', '/../' or spaces)"),
                      ),
                      "/",
                    ),
                    pathType: v.optional(v.picklist(["Prefix", "Exact", "ImplementationSpecific"]), "Prefix"),
                  }),
                ),
                v.minLength(1, "at least one path"),
              ),
              [{ path: "/", pathType: "Prefix" }],
            ),
          }),
        ),
        [],
      ),
      tls: v.optional(v.array(strictObject({ secretName: objectName("a Secret"), hosts: v.optional(v.array(ingressHost), []) })), []),
    }),
    {},
  ),
  doc("An Ingress to the Service."),
);

export const proxySchema = v.pipe(
  v.optional(
    strictObject({
      image: v.optional(
        strictObject({
          repository: v.optional(imageRepository, "docker.io/nginxinc/nginx-unprivileged"),
          tag: v.optional(imageTag, "1.29-alpine"),
          pullPolicy: v.optional(v.picklist(["Always", "IfNotPresent", "Never"]), "IfNotPresent"),
        }),
        {},
      ),
      resources: resourcesSchema,
      upstreamPort: v.pipe(v.optional(port, 8001), doc("Loopback port Chroma listens on behind the proxy.")),
    }),
    {},
  ),
  doc(
    "The authenticating nginx sidecar rendered when `chromadb.auth.enabled`, on every version: a request without valid credentials never reaches Chroma, which listens on loopback (Chroma 1.x has no built-in auth; 0.x checks the credentials again).",
  ),
);

/** Who may connect, or where the pod may connect: pods by namespace and/or pod labels, or an address range. */
const peerSchema = strictObject({
  namespaceSelector: v.pipe(v.optional(labelSelector), doc("Namespaces by label (`{}`: every namespace).")),
  podSelector: v.pipe(v.optional(labelSelector), doc("Pods by label, in the selected namespaces (the instance's own without namespaceSelector).")),
  ipBlock: v.pipe(v.optional(strictObject({ cidr })), doc("An address range, e.g. 10.0.0.0/8 (not with the selectors).")),
});

const egressRuleSchema = strictObject({
  to: v.pipe(v.optional(v.array(peerSchema), []), doc("Destinations; empty: any.")),
  ports: v.pipe(
    v.optional(
      v.array(
        strictObject({
          port: v.pipe(v.optional(port), doc("Destination port; unset: every port.")),
          protocol: v.optional(v.picklist(["TCP", "UDP", "SCTP"]), "TCP"),
        }),
      ),
      [],
    ),
    doc("Ports; empty: any."),
  ),
});

export const networkPolicySchema = v.pipe(
  v.optional(
    strictObject({
      enabled: v.pipe(
        v.optional(v.boolean(), true),
        doc("Render a NetworkPolicy for the instance's pod (it takes effect only where the cluster's CNI enforces NetworkPolicy)."),
      ),
      allowExternal: v.pipe(
        v.optional(v.boolean(), true),
        doc("Any client may connect to the API port. false: only the peers in `from` (list your Ingress controller's namespace there when `ingress.enabled`)."),
      ),
      from: v.pipe(v.optional(v.array(peerSchema), []), doc("The clients allowed when `allowExternal` is false.")),
      allowExternalEgress: v.pipe(
        v.optional(v.boolean(), false),
        doc(
          "Let the pod connect anywhere. false: DNS (port 53), the OpenTelemetry endpoint's port, HTTPS (443) when `chromadb.anonymizedTelemetry` is on, and `extraEgress`.",
        ),
      ),
      extraEgress: v.pipe(v.optional(v.array(egressRuleSchema), []), doc("More egress rules (when `allowExternalEgress` is false).")),
    }),
    {},
  ),
  doc(
    "A NetworkPolicy on by default: only the API port is open, to any client (`allowExternal`) or to the listed peers; egress only to DNS and the endpoints the values configure.",
  ),
);

/** A DNS name a certificate may hold (`*.` allowed in front). */
const certificateName = v.pipe(
  v.string(),
  v.regex(/^(?=.{1,253}$)(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, "a DNS name such as chroma.example.com"),
);

export const tlsSchema = v.pipe(
  v.optional(
    strictObject({
      secretName: v.pipe(
        v.optional(objectName("a Secret")),
        doc("Bring your own certificate: a kubernetes.io/tls Secret (keys `tls.crt`, `tls.key`) in the instance namespace."),
      ),
      generate: v.pipe(
        v.optional(v.boolean(), false),
        doc(
          "`apply` issues a CA and a server certificate once, in the Secret `<name>-tls` (keys `ca.crt`, `tls.crt`, `tls.key`), for the Service's DNS names, `localhost` and 127.0.0.1, and keeps them across applies; clients verify with `ca.crt`.",
        ),
      ),
      certManager: v.pipe(
        v.optional(
          strictObject({
            issuerRef: strictObject({
              name: objectName("an Issuer"),
              kind: v.optional(v.picklist(["Issuer", "ClusterIssuer"]), "Issuer"),
              group: v.optional(v.literal("cert-manager.io"), "cert-manager.io"),
            }),
          }),
        ),
        doc(
          "Render a cert-manager Certificate for the Service's DNS names, issued into the Secret `<name>-tls` by this issuer (cert-manager must be installed).",
        ),
      ),
      dnsNames: v.pipe(
        v.optional(v.array(certificateName), []),
        doc("More names for a generated or cert-manager certificate, e.g. the Service's name under a cluster domain other than cluster.local."),
      ),
      days: v.pipe(v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650)), 825), doc("How long a generated server certificate is valid.")),
    }),
    {},
  ),
  doc(
    "TLS on the API port, served by the proxy sidecar on every Chroma version (TLS 1.2 and 1.3, modern ciphers; a plain HTTP request is refused). Off by default; turn it on with exactly one of `secretName`, `generate: true` or `certManager`.",
  ),
);
