/** The `chromadb` block (key names are the seed Helm chart's): version, storage, server, auth, telemetry. */
import * as v from "valibot";
import { strictObject } from "../../core/issues.ts";
import { objectName } from "../kube.ts";
import { chromaReleases, defaultChromaVersion, unknownReleaseMessage } from "../releases.ts";
import { doc, port } from "./formats.ts";

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
/** A CORS origin: `*`, or `scheme://host[:port]`. */
const origin = v.pipe(v.string(), v.regex(/^(\*|[a-z][a-z0-9+.-]*:\/\/[^\s/?#"',]+)$/, "an origin like https://app.example (scheme://host[:port]) or *"));

const authSchema = v.pipe(
  v.optional(
    strictObject({
      enabled: v.pipe(
        v.optional(v.boolean(), true),
        doc(
          "Require credentials on every API call (heartbeat/version stay open for probes). An authenticating nginx sidecar enforces it in front of every version (Chroma 1.x has no built-in auth; 0.x servers check the credentials again behind it).",
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

/** A Python logging level (`import helm` upper-cases the chart's, which took any case). */
const logLevel = v.picklist(["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]);

export const chromadbSchema = strictObject({
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
  logging: v.pipe(
    v.optional(
      strictObject({
        root: v.pipe(v.optional(logLevel), doc("Level of the root logger (the module's default: WARNING).")),
        chromadb: v.pipe(v.optional(logLevel), doc("Level of Chroma's own loggers (the module's default: INFO).")),
        uvicorn: v.pipe(v.optional(logLevel), doc("Level of uvicorn's loggers, the server and its startup lines (the module's default: INFO).")),
      }),
    ),
    doc(
      "0.x only: log levels in the module's log config, as the Helm chart's `chromadb.logging` (which took any case; `import helm` upper-cases them). Not with `logConfig`, whose content sets its own levels.",
    ),
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
      "Address the server binds to inside the pod. Default: `0.0.0.0`. With auth, Chroma listens on 127.0.0.1 behind the proxy, so another address is refused.",
    ),
  ),
  serverHttpPort: v.pipe(
    v.optional(port, 8000),
    doc("Container port of the API (the auth proxy's port when auth is on; Chroma then listens on `proxy.upstreamPort` on loopback)."),
  ),
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
  sqliteFilename: v.pipe(
    v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, "a file name (letters, digits, '.', '_', '-')"))),
    doc(
      "1.x only: the name of the SQLite file in the data directory (Chroma's default `chroma.sqlite3`), as the chart's `chromadb.sqliteFilename`. Set it when the instance is created: Chroma does not rename an existing file.",
    ),
  ),
  openTelemetry: openTelemetrySchema,
  extraConfig: v.pipe(
    v.optional(v.record(v.string(), v.unknown())),
    doc(
      "1.x only: more keys of Chroma's config file, merged into the one the module renders, as the chart's `chromadb.extraConfig` (e.g. `sqlitedb: { hash_type: md5 }`, `circuit_breaker: { requests: 100 }`, `segment_manager: { hnsw_index_pool_cache_config: {…} }`). Keys the module renders from its own values are refused (set those values). The chart's keys are checked as Chroma checks them (circuit_breaker.requests a whole number, sqlitedb.hash_type md5 or sha256, segment_manager.hnsw_index_pool_cache_config one cache policy key); others are passed to Chroma as they are.",
    ),
  ),
});
