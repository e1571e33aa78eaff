/** How clients reach Chroma: the Service, the Ingress and the 1.x authenticating proxy sidecar. */
import * as v from "valibot";
import { strictObject } from "../../core/issues.ts";
import { annotationMapSchema, labelMapSchema, objectName, resourcesSchema } from "../kube.ts";
import { doc, imageRepository, imageTag, port } from "./formats.ts";

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
      loadBalancerSourceRanges: v.pipe(
        v.optional(
          v.array(
            v.pipe(
              v.string(),
              v.regex(
                /^(?:(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:3[0-2]|[12]?\d)|[0-9a-fA-F:]*:[0-9a-fA-F:]*\/(?:12[0-8]|1[01]\d|[1-9]?\d))$/,
                "a CIDR like 10.0.0.0/8",
              ),
            ),
          ),
        ),
        doc("Allowed client CIDRs (type LoadBalancer)."),
      ),
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
  doc("1.x only: the authenticating nginx sidecar rendered when `chromadb.auth.enabled` (Chroma 1.x has no built-in auth)."),
);
