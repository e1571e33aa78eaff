/**
 * The values of one Chroma instance. Key names under `chromadb.*` are the seed Helm chart's, so a chart user's
 * values.yaml maps 1:1; everything the chart lacks sits beside them. Defaults live beside each field.
 * Version-dependent defaults (marked "resolved per version") stay undefined here and are resolved by module/.
 */
import * as v from "valibot";
import { strictObject } from "../core/issues.ts";
import { chromaReleases, defaultChromaVersion, unknownReleaseMessage } from "./releases.ts";
import {
  affinitySchema,
  annotationMapSchema,
  int32,
  labelMapSchema,
  objectName,
  containerSecurityContextSchema,
  envVarSchema,
  podSecurityContextSchema,
  resourcesSchema,
  tolerationSchema,
} from "./kube.ts";

const port = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
const positiveInt = int32(1);
/** An image repository: `[registry[:port]/]path`, lowercase path components (no spaces, no tag). */
const imageRepository = v.pipe(
  v.string(),
  v.regex(
    /^(?:[a-zA-Z0-9](?:[-a-zA-Z0-9.]*[a-zA-Z0-9])?(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/,
    "an image repository like ghcr.io/chroma-core/chroma (no tag, no spaces)",
  ),
  v.maxLength(255, "at most 255 characters"),
);
const imageTag = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "an image tag (letters, digits, '_', '.', '-'; at most 128). A digest such as sha256:… goes in image.digest"),
);
const imageDigest = v.pipe(v.string(), v.regex(/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/, "an image digest like sha256:<64 hex digits>"));
const absolutePath = v.pipe(v.string(), v.regex(/^\/[^\s:]*$/, "an absolute path without spaces or ':'"));
/** A host name or an IPv4/IPv6 address. */
const hostAddress = v.pipe(
  v.string(),
  v.regex(
    /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*|[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)$/,
    "an IP address or a host name",
  ),
  v.maxLength(253, "at most 253 characters"),
);
/** A host an Ingress routes (a DNS name, `*.` allowed in front; not an IP address). */
const ingressHost = v.pipe(
  v.string(),
  v.regex(
    /^(?![0-9.]+$)(?=.{1,253}$)(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    "a DNS host name such as chroma.example.com (or *.example.com), not an IP address",
  ),
);
/** A CORS origin: `*`, or `scheme://host[:port]`. */
const origin = v.pipe(v.string(), v.regex(/^(\*|[a-z][a-z0-9+.-]*:\/\/[^\s/?#"',]+)$/, "an origin like https://app.example (scheme://host[:port]) or *"));
const doc = v.description;

const imageSchema = v.pipe(
  v.optional(
    strictObject({
      repository: v.pipe(v.optional(imageRepository, "ghcr.io/chroma-core/chroma"), doc("Chroma image repository.")),
      tag: v.pipe(v.optional(imageTag), doc("Image tag. Default: `chromadb.apiVersion`, so the image and the rendered config always agree.")),
      digest: v.pipe(
        v.optional(imageDigest),
        doc(
          "Image digest (`sha256:…`): the image is pulled as `repository@digest` (`repository:tag@digest` with a tag), so it cannot change under the same name.",
        ),
      ),
      pullPolicy: v.pipe(v.optional(v.picklist(["Always", "IfNotPresent", "Never"]), "IfNotPresent"), doc("Image pull policy.")),
    }),
    {},
  ),
  doc("The Chroma server image."),
);

const authSchema = v.pipe(
  v.optional(
    strictObject({
      enabled: v.pipe(
        v.optional(v.boolean(), true),
        doc(
          "Require credentials on every API call (heartbeat/version stay open for probes). On 1.x, where Chroma has no built-in auth, an authenticating nginx sidecar enforces it.",
        ),
      ),
      type: v.pipe(v.optional(v.picklist(["token", "basic"]), "token"), doc("`token` (Chroma >= 0.4.8) or `basic` (>= 0.4.7).")),
      token: v.optional(
        strictObject({
          tokenHeader: v.pipe(
            v.optional(v.picklist(["Authorization", "X-Chroma-Token", "AUTHORIZATION", "X-CHROMA-TOKEN", "X_CHROMA_TOKEN"]), "Authorization"),
            doc(
              "Where clients send the token: `Authorization` (as `Bearer <token>`) or `X-Chroma-Token`. The chart's spellings (`AUTHORIZATION`, `X-CHROMA-TOKEN`) are accepted.",
            ),
          ),
        }),
        {},
      ),
      basic: v.optional(
        strictObject({
          username: v.pipe(
            v.optional(v.pipe(v.string(), v.regex(/^[^:\s]+$/, "a user name without ':' or spaces")), "admin"),
            doc("User name of the generated basic-auth credentials."),
          ),
        }),
        {},
      ),
      existingSecret: v.pipe(
        v.optional(objectName("a Secret")),
        doc(
          "Bring your own credentials: the name of a Secret in the instance namespace. Keys: `token` (token auth) or `username`, `password` and `htpasswd` (`user:<bcrypt>`, e.g. `htpasswd -nbB user pass`) for basic auth. Default: a Secret `<instance>-auth` that `apply` generates once and never rotates.",
        ),
      ),
    }),
    {},
  ),
  doc("Authentication. On by default (token)."),
);

const openTelemetrySchema = v.pipe(
  v.optional(
    strictObject({
      endpoint: v.pipe(v.pipe(v.string(), v.url("a URL")), doc("OTLP gRPC endpoint, e.g. `http://otel-collector:4317`.")),
      serviceName: v.pipe(v.optional(v.string()), doc("Service name reported. Default: the instance name.")),
      granularity: v.pipe(
        v.optional(v.picklist(["operation", "operation_and_segment", "all"]), "operation"),
        doc("0.4.15–0.6.x only: how much of each request is traced."),
      ),
    }),
  ),
  doc("Export traces (and on 1.x metrics) over OTLP gRPC to an OpenTelemetry collector. Chroma >= 0.4.15."),
);

const chromadbSchema = strictObject({
  apiVersion: v.pipe(
    v.optional(
      v.picklist(chromaReleases, (issue) => unknownReleaseMessage(issue.input)),
      defaultChromaVersion,
    ),
    doc(
      `The Chroma version to run. Supported: ${chromaReleases[0]} to ${chromaReleases[chromaReleases.length - 1]}. Everything version-dependent (command, env, config file, probes, auth) is derived from it.`,
    ),
  ),
  allowReset: v.pipe(v.optional(v.boolean(), false), doc("Allow `reset` (deletes all data).")),
  isPersistent: v.pipe(v.optional(v.boolean(), true), doc("Keep data on a PersistentVolumeClaim. false: an emptyDir that is lost with the pod.")),
  persistDirectory: v.pipe(
    v.optional(absolutePath),
    doc("Where Chroma keeps its data and where the data volume is mounted. Default: `/data` (1.x image default); `/chroma/chroma` on 0.x."),
  ),
  logConfigFileLocation: v.pipe(
    v.optional(absolutePath),
    doc("0.x only: path of the uvicorn log config inside the container. Default: the log config shipped with the module, mounted from a ConfigMap."),
  ),
  logConfig: v.pipe(
    v.optional(v.pipe(v.string(), v.maxLength(262144, "at most 256 KiB (a ConfigMap holds 1 MiB)"))),
    doc("0.x only: the content of the shipped log config file (Python logging dictConfig YAML), replacing the module's."),
  ),
  anonymizedTelemetry: v.pipe(v.optional(v.boolean(), false), doc("Send anonymized usage statistics to Chroma (posthog). Off: opt in.")),
  corsAllowOrigins: v.pipe(
    v.optional(v.array(origin), []),
    doc(
      'Origins allowed by CORS, e.g. `["https://app.example"]`. Default: none (the chart allowed `*`). `*` is refused on 1.0.0–1.0.10, where it crashes the server.',
    ),
  ),
  apiImpl: v.pipe(
    v.optional(v.picklist(["chromadb.api.segment.SegmentAPI", "chromadb.api.fastapi.FastAPI"]), "chromadb.api.segment.SegmentAPI"),
    doc("0.x only: the server's API implementation. `chromadb.api.fastapi.FastAPI` is a client implementation and is refused."),
  ),
  serverHost: v.pipe(
    v.optional(hostAddress),
    doc(
      "Address the server binds to inside the pod. Default: `0.0.0.0`. On 1.x with auth, Chroma listens on 127.0.0.1 behind the proxy, so another address is refused.",
    ),
  ),
  serverHttpPort: v.pipe(v.optional(port, 8000), doc("Container port of the API (the proxy's port when the 1.x auth proxy is on).")),
  dataVolumeSize: v.pipe(
    v.optional(
      v.pipe(
        v.string(),
        v.regex(/^(?=[0.]*[1-9])(?:\d{1,15}(?:\.\d{1,6})?|\.\d{1,6})(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/, "a size greater than zero like 1Gi or 500Mi"),
      ),
      "1Gi",
    ),
    doc("Size of the data volume."),
  ),
  dataVolumeStorageClass: v.pipe(
    v.optional(objectName("a StorageClass")),
    doc("StorageClass of the data volume. Default: the cluster's default class (the chart hard-coded `standard`)."),
  ),
  dataVolumeAccessModes: v.pipe(
    v.optional(v.array(v.picklist(["ReadWriteOnce", "ReadWriteOncePod", "ReadWriteMany"])), ["ReadWriteOnce"]),
    doc("Access modes of the data volume."),
  ),
  auth: authSchema,
  maxPayloadSizeBytes: v.pipe(
    v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(Number.MAX_SAFE_INTEGER))),
    doc("1.x only: the largest request body accepted (Chroma's default 41943040). Also sets the auth proxy's body limit."),
  ),
  sqliteMigrationMode: v.pipe(
    v.optional(v.picklist(["apply", "validate"])),
    doc("1.x only: `validate` refuses to start when the data needs a (one-way) schema migration; `apply` migrates. Chroma's default: apply."),
  ),
  openTelemetry: openTelemetrySchema,
});

const serviceSchema = v.pipe(
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

const ingressSchema = v.pipe(
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

const probeSchema = (initialDelaySeconds: number, failureThreshold: number) =>
  v.optional(
    strictObject({
      enabled: v.optional(v.boolean(), true),
      initialDelaySeconds: v.optional(int32(0), initialDelaySeconds),
      periodSeconds: v.optional(positiveInt, 10),
      timeoutSeconds: v.optional(positiveInt, 5),
      failureThreshold: v.optional(positiveInt, failureThreshold),
    }),
    {},
  );

const probesSchema = v.pipe(
  v.optional(
    strictObject({
      startup: probeSchema(0, 60),
      liveness: probeSchema(0, 6),
      readiness: probeSchema(0, 3),
    }),
    {},
  ),
  doc(
    "HTTP probes on the heartbeat/healthcheck path of the chosen version (`/api/v1/heartbeat` on 0.x, `/api/v2/heartbeat` and `/api/v2/healthcheck` on 1.x). The startup probe allows 10 minutes for first-start migrations.",
  ),
);

const serviceAccountSchema = v.pipe(
  v.optional(
    strictObject({
      create: v.optional(v.boolean(), true),
      name: v.pipe(v.optional(objectName("a ServiceAccount")), doc("Name. Default: the instance name when created, `default` otherwise.")),
      annotations: annotationMapSchema("ServiceAccount annotations (e.g. workload identity)."),
      automountServiceAccountToken: v.optional(v.boolean(), false),
    }),
    {},
  ),
  doc("The pod's ServiceAccount. Chroma never calls the Kubernetes API, so its token is not mounted."),
);

const proxySchema = v.pipe(
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

export const valuesSchema = strictObject({
  chromadb: v.optional(chromadbSchema, {}),
  image: imageSchema,
  imagePullSecrets: v.pipe(v.optional(v.array(objectName("a Secret")), []), doc("Names of image pull Secrets.")),
  replicas: v.pipe(
    v.optional(int32(0), 1),
    doc(
      "Pods. Chroma is a single-node server (SQLite + HNSW files are not shared): more than 1 is refused with persistence. 0 stops the server and keeps the data.",
    ),
  ),
  resources: resourcesSchema,
  nodeSelector: labelMapSchema("Node labels the pod must match."),
  tolerations: v.pipe(v.optional(v.array(tolerationSchema), []), doc("Pod tolerations.")),
  affinity: v.pipe(v.optional(affinitySchema), doc("Pod affinity rules.")),
  priorityClassName: v.pipe(v.optional(objectName("a PriorityClass")), doc("Pod priority class.")),
  podSecurityContext: podSecurityContextSchema,
  securityContext: containerSecurityContextSchema,
  service: serviceSchema,
  ingress: ingressSchema,
  serviceAccount: serviceAccountSchema,
  probes: probesSchema,
  extraEnv: v.pipe(v.optional(v.array(envVarSchema), []), doc("Extra environment variables of the Chroma container (`value` or `valueFrom`).")),
  labels: labelMapSchema("Labels added to every object of the instance."),
  annotations: annotationMapSchema("Annotations added to every object of the instance."),
  podLabels: labelMapSchema("Extra pod labels."),
  podAnnotations: annotationMapSchema("Extra pod annotations."),
  terminationGracePeriodSeconds: v.pipe(v.optional(int32(0), 30), doc("Time Chroma gets to flush on shutdown.")),
  proxy: proxySchema,
});

/** What users write: every key optional. */
export type ValuesInput = v.InferInput<typeof valuesSchema>;
/** Values after defaults. */
export type Values = v.InferOutput<typeof valuesSchema>;
