/**
 * The community Chroma Helm chart's values (charts 0.1.x–0.2.x) as chroma-mod values: each chart key mapped to its
 * home, with the chart's spellings and string-typed numbers normalized; keys that keep the chart's default or are
 * unset are noted and left out; keys with no home here are listed with the reason and left out. Pure: a parsed
 * values document in, values and notes out (`chroma-mod import helm` writes them as a bundle and vets it).
 */
import { isSupportedRelease } from "../schemas/releases.ts";

type NoteKind = "mapped" | "default" | "dropped";

export interface ImportNote {
  /** The chart key (dot path). */
  readonly chart: string;
  readonly kind: NoteKind;
  /** The chroma-mod value path it went to (mapped). */
  readonly to?: string;
  /** Why it was left out (default, dropped), or how it was changed (mapped). */
  readonly reason?: string;
}

export interface HelmImport {
  readonly values: Record<string, unknown>;
  readonly notes: readonly ImportNote[];
  /** The Chroma version the values say the release runs, if they say (chromadb.apiVersion, a version-like image.tag). */
  readonly chromaVersion: string | undefined;
  /** Where the bundle behaves differently from the release on purpose (said on stderr and in the file). */
  readonly warnings: readonly string[];
}

type Json = unknown;
type Rule =
  | {
      readonly to: string;
      readonly map?: (value: Json, chart: Record<string, Json>) => Json;
      readonly how?: string;
      /** The chart's default, which chroma-mod's own default replaces (not carried over). */
      readonly chartDefault?: (value: Json) => boolean;
      /** Why this value is not carried over, when it is not. */
      readonly refuse?: (value: Json) => string | undefined;
      /** How chroma-mod's value differs from the chart's (README's migration table). */
      readonly note?: string;
      /** The Chroma generation that reads it ("0": 0.x, "1": 1.x); left out, with the reason, for the other. */
      readonly only?: "0" | "1";
    }
  | { readonly drop: string; readonly unlessDefault?: (value: Json) => boolean }
  /** Folded into another key's value (that key's rule reads it). */
  | { readonly into: string; readonly how: string };

const isEmpty = (v: Json) =>
  v === null ||
  v === undefined ||
  v === "" ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0);
const bool = (v: Json) => (typeof v === "string" ? /^(true|yes|1)$/i.test(v) : v);
const num = (v: Json) => (typeof v === "string" && /^\d+$/.test(v) ? Number(v) : v);
const equals = (want: Json) => (v: Json) => JSON.stringify(v) === JSON.stringify(want);
const headers: Record<string, string> = { AUTHORIZATION: "Authorization", X_CHROMA_TOKEN: "X-Chroma-Token", "X-CHROMA-TOKEN": "X-Chroma-Token" };

const credential =
  "a credential in the values would end up in the bundle file (and in git): put it in a Secret and name it in chromadb.auth.existingSecret (keys: token, or username, password and htpasswd)";
const byChart = "the chart's own implementation detail: chroma-mod renders the version's settings itself";
const ours = "the chart's default: chroma-mod's own default applies";
const oneOf =
  (...wanted: Json[]) =>
  (v: Json) =>
    wanted.some((w) => JSON.stringify(w) === JSON.stringify(v) || (typeof v !== "object" && String(w) === String(v)));
const probe = (kind: string, chartDefault: Json): Rule => ({
  to: `probes.${kind}`,
  map: (v) => Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, num(x)])),
  chartDefault: equals(chartDefault),
});

/** Keys whose value (an object or a list) is carried as a whole; everything else is walked key by key. */
const whole = new Set([
  "resources",
  "nodeSelector",
  "tolerations",
  "affinity",
  "podLabels",
  "commonLabels",
  "imagePullSecrets",
  "global.imagePullSecrets",
  "podSpec.securityContext",
  "podSpec.podAnnotations",
  "podSpec.annotations",
  "podSpec.initContainers",
  "serviceAccount.annotations",
  "ingress.annotations",
  "ingress.hosts",
  "ingress.tls",
  "initImage",
  "autoscaling",
  "chromadb.corsAllowOrigins",
  "chromadb.data.accessModes",
  "chromadb.logging",
  "chromadb.telemetry",
  "chromadb.segmentManager.hnswIndexPoolCacheConfig",
  "chromadb.extraConfig",
  "chromadb.auth.basic.config",
  "chromadb.auth.token.config",
  "chromadb.maintenance",
  ...["readinessProbe", "livenessProbe", "startupProbe"],
]);

const pullSecretNames = (v: Json) => (Array.isArray(v) ? v.map((s) => (typeof s === "object" && s !== null ? (s as { name: string }).name : s)) : v);

const rules: Record<string, Rule> = {
  "global.imageRegistry": { into: "image.repository", how: "the registry prefixes the repository, as the chart composed the image" },
  "global.imagePullSecrets": { to: "imagePullSecrets", map: pullSecretNames, how: "merged with imagePullSecrets, as names" },
  replicaCount: { to: "replicas" },
  "image.registry": { into: "image.repository", how: "the registry prefixes the repository, as the chart composed the image" },
  "image.repository": {
    to: "image.repository",
    chartDefault: (v) => v === "ghcr.io/chroma-core/chroma",
    map: (v, c) => {
      const image = c.image as { registry?: string } | undefined;
      const registry = image?.registry || (c.global as { imageRegistry?: string } | undefined)?.imageRegistry;
      return registry ? `${registry}/${v}` : v;
    },
  },
  "image.tag": { to: "image.tag", map: String },
  "image.digest": { to: "image.digest" },
  "image.pullPolicy": { to: "image.pullPolicy" },
  initImage: { drop: "chroma-mod needs no init container: apply generates the htpasswd of basic auth into the credentials Secret", unlessDefault: () => true },
  imagePullSecrets: { to: "imagePullSecrets", map: pullSecretNames, how: "as a list of names" },
  nameOverride: { to: "nameOverride", note: "the `app.kubernetes.io/name` label, selector included (default `chroma`; the chart's `chromadb`)" },
  fullnameOverride: {
    to: "fullnameOverride",
    note: "the base of every object name (default: the instance name; the chart's `<release>-chromadb`), so the data claim is `data-<fullnameOverride>-0`",
  },
  commonLabels: { to: "labels" },
  podLabels: { to: "podLabels" },
  "serviceAccount.create": { to: "serviceAccount.create", map: bool },
  "serviceAccount.annotations": { to: "serviceAccount.annotations" },
  "serviceAccount.name": { to: "serviceAccount.name" },
  "serviceAccount.automountServiceAccountToken": { to: "serviceAccount.automountServiceAccountToken", map: bool, chartDefault: oneOf(true) },
  "service.type": { to: "service.type" },
  "service.nodePort": { to: "service.nodePort", map: num },
  "ingress.enabled": { to: "ingress.enabled", map: bool },
  "ingress.className": { to: "ingress.className" },
  "ingress.annotations": { to: "ingress.annotations" },
  "ingress.hosts": { to: "ingress.hosts" },
  "ingress.tls": { to: "ingress.tls" },
  resources: { to: "resources" },
  autoscaling: {
    drop: "Chroma is a single-node server (one process owns its data), so it cannot be autoscaled; chroma-mod refuses autoscaling.enabled: true",
    unlessDefault: (v) => (v as { enabled?: Json }).enabled !== true && bool((v as { enabled?: Json }).enabled) !== true,
  },
  nodeSelector: { to: "nodeSelector" },
  tolerations: { to: "tolerations" },
  affinity: { to: "affinity" },
  "podSpec.terminationGracePeriodSeconds": { to: "terminationGracePeriodSeconds", map: num, chartDefault: oneOf(5) },
  "podSpec.securityContext": {
    to: "podSecurityContext",
    how: "the pod's; the chart also copied it onto the container, where chroma-mod keeps its restricted default",
  },
  "podSpec.podAnnotations": { to: "podAnnotations" },
  "podSpec.annotations": { drop: "the chart's templates never used it" },
  "podSpec.initContainers": { drop: "the chart's templates never used it" },
  readinessProbe: probe("readiness", { failureThreshold: 20, timeoutSeconds: 10, periodSeconds: 5 }),
  livenessProbe: probe("liveness", { failureThreshold: 40, timeoutSeconds: 10, periodSeconds: 5 }),
  startupProbe: probe("startup", { failureThreshold: 1000, periodSeconds: 5, initialDelaySeconds: 10 }),
  "chromadb.apiVersion": {
    to: "chromadb.apiVersion",
    map: String,
    note: "any release 0.4.3–1.5.9 (1.5.3, the chart 0.2.2's default, included), unreleased numbers refused; default the newest supported",
  },
  "chromadb.allowReset": { to: "chromadb.allowReset", map: bool, how: "a boolean; the chart took a string" },
  "chromadb.isPersistent": { to: "chromadb.isPersistent", map: bool, note: "`false`: an emptyDir, data lost with the pod" },
  "chromadb.persistDirectory": {
    to: "chromadb.persistDirectory",
    chartDefault: oneOf("/index_data", "/data"),
    how: "the volume's mount path; the data on the volume does not depend on it",
  },
  "chromadb.logConfigFileLocation": {
    drop: "the chart's log config file, which chroma-mod's pod does not have: on 0.x chroma-mod mounts its own (set its content with chromadb.logConfig, or point chromadb.logConfigFileLocation at a file in your image)",
    unlessDefault: (v) => ["config/log_config.yaml", "/chroma/log_config.yaml", "log_config.yaml"].includes(String(v)),
  },
  "chromadb.logConfigMap": { drop: "put the log config's content in chromadb.logConfig (chroma-mod mounts it)" },
  "chromadb.logging": {
    to: "chromadb.logging",
    only: "0",
    map: (v) =>
      Object.fromEntries(
        Object.entries(v as Record<string, Json>).map(([k, level]) => {
          const upper = String(level).toUpperCase();
          return [k, upper === "WARN" ? "WARNING" : upper];
        }),
      ),
    chartDefault: oneOf({ root: "INFO", chromadb: "DEBUG", uvicorn: "INFO" }),
    note: "0.x only (1.x has no Python log config); levels upper-cased (WARN → WARNING), as the chart did",
  },
  "chromadb.anonymizedTelemetry": { to: "chromadb.anonymizedTelemetry", map: bool },
  "chromadb.corsAllowOrigins": {
    to: "chromadb.corsAllowOrigins",
    map: (v) => (Array.isArray(v) ? [...new Set(v)] : v),
    how: "duplicates removed",
    note: "default: none (the 0.1.x charts' `*` is not carried over); `*` refused where it crashes Chroma (1.0.0–1.0.10)",
    refuse: (v) =>
      Array.isArray(v) && v.includes("*")
        ? "any origin (`*`, the chart's default then) is not carried over: chroma-mod allows no origin unless listed; list your web apps' origins"
        : undefined,
  },
  "chromadb.apiImpl": {
    to: "chromadb.apiImpl",
    chartDefault: oneOf("chromadb.api.segment.SegmentAPI"),
    note: "0.x only; the FastAPI (client) implementation is refused",
  },
  "chromadb.serverHost": {
    to: "chromadb.serverHost",
    chartDefault: oneOf("0.0.0.0"),
    note: "the bind address; on 1.x with auth Chroma listens on 127.0.0.1 behind the proxy",
  },
  "chromadb.serverHttpPort": {
    to: "chromadb.serverHttpPort",
    map: num,
    chartDefault: oneOf(8000),
    note: "the container port; the Service port is `service.port`",
  },
  "chromadb.maxPayloadSizeBytes": { to: "chromadb.maxPayloadSizeBytes", map: num, chartDefault: oneOf(41943040) },
  "chromadb.dataVolumeSize": {
    to: "chromadb.dataVolumeSize",
    map: String,
    note: "a larger size expands the live claim (where its StorageClass allows expansion); never shrinks",
  },
  "chromadb.dataVolumeStorageClass": { to: "chromadb.dataVolumeStorageClass", note: "default: the cluster's default class" },
  "chromadb.data.volumeSize": { to: "chromadb.dataVolumeSize", map: String },
  "chromadb.data.storageClass": { to: "chromadb.dataVolumeStorageClass" },
  "chromadb.data.accessModes": { to: "chromadb.dataVolumeAccessModes" },
  "chromadb.data.retentionPolicyOnDelete": {
    drop: "chroma-mod never deletes the data claim with the StatefulSet: `chroma-mod delete --delete-data` deletes it when you ask",
    unlessDefault: () => true,
  },
  "chromadb.telemetry": {
    to: "chromadb.openTelemetry",
    map: (v) => {
      const t = v as { enabled?: Json; endpoint?: string; serviceName?: string };
      return bool(t.enabled) === true && t.endpoint ? { endpoint: t.endpoint, ...(t.serviceName ? { serviceName: t.serviceName } : {}) } : undefined;
    },
    how: "endpoint and serviceName, when enabled; on 1.x, filters go to extraConfig's open_telemetry.filters",
  },
  "chromadb.sqliteFilename": { to: "chromadb.sqliteFilename", only: "1", note: "1.x only (the chart ignored it on 0.x)" },
  "chromadb.sqliteDb.hashType": {
    to: "chromadb.extraConfig.sqlitedb.hash_type",
    map: (v) => String(v).toLowerCase(),
    only: "1",
    note: "1.x only: Chroma's config key, passed through extraConfig",
  },
  "chromadb.sqliteDb.migrationMode": { to: "chromadb.sqliteMigrationMode" },
  "chromadb.circuitBreaker.requests": {
    to: "chromadb.extraConfig.circuit_breaker.requests",
    map: num,
    only: "1",
    note: "1.x only: Chroma's config key, passed through extraConfig",
  },
  "chromadb.segmentManager.hnswIndexPoolCacheConfig": {
    to: "chromadb.extraConfig.segment_manager.hnsw_index_pool_cache_config",
    only: "1",
    note: "1.x only: Chroma's config key, passed through extraConfig",
  },
  "chromadb.maintenance": {
    to: "extraEnv",
    map: (v) => {
      const m = v as { collection_cache_policy?: Json; collection_cache_limit_bytes?: Json };
      if (isEmpty(m.collection_cache_policy)) return undefined;
      return [
        { name: "CHROMA_SEGMENT_CACHE_POLICY", value: String(m.collection_cache_policy) },
        { name: "CHROMA_MEMORY_LIMIT_BYTES", value: String(m.collection_cache_limit_bytes ?? 1_000_000_000) },
      ];
    },
    only: "0",
    how: "the env vars the chart set (CHROMA_SEGMENT_CACHE_POLICY, CHROMA_MEMORY_LIMIT_BYTES)",
    note: "0.x only (the chart set them on 0.x releases): the env vars the chart set, as extraEnv",
  },
  "chromadb.extraConfig": {
    to: "chromadb.extraConfig",
    only: "1",
    note: "1.x only; keys the module renders from its own values are refused by vet (set those values)",
  },
  "chromadb.auth.enabled": {
    to: "chromadb.auth.enabled",
    map: bool,
    note: "refused on versions that cannot enforce it instead of silently ignored; on 1.x an nginx sidecar enforces it",
  },
  "chromadb.auth.type": { to: "chromadb.auth.type" },
  "chromadb.auth.existingSecret": {
    to: "chromadb.auth.existingSecret",
    note: "default: a Secret `<instance>-auth` per instance (the chart's was `chromadb-auth`, shared), generated once by `apply` and never rotated; keys `token`, or `username`, `password` and `htpasswd`",
  },
  "chromadb.auth.basic.username": { to: "chromadb.auth.basic.username" },
  "chromadb.auth.basic.password": { drop: credential },
  "chromadb.auth.basic.config": { drop: byChart, unlessDefault: () => true },
  "chromadb.auth.token.headerType": {
    to: "chromadb.auth.token.tokenHeader",
    map: (v) => headers[String(v).toUpperCase()] ?? v,
    how: "the header clients send the token in",
    note: "`Authorization` or `X-Chroma-Token`; the chart's spellings (`AUTHORIZATION`, `X_CHROMA_TOKEN`, `X-CHROMA-TOKEN`) are read",
  },
  "chromadb.auth.token.value": { drop: credential },
  "chromadb.auth.token.config": { drop: byChart, unlessDefault: () => true },
};

function setPath(target: Record<string, Json>, path: string, value: Json): void {
  const keys = path.split(".");
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, Json>;
  }
  const last = keys[keys.length - 1]!;
  // Two chart keys for one value (imagePullSecrets and global.imagePullSecrets): lists are merged, and so are
  // objects (chromadb.extraConfig and the keys it receives from chromadb.sqliteDb, circuitBreaker, …).
  const here = node[last];
  if (Array.isArray(here) && Array.isArray(value)) node[last] = [...new Set([...here, ...value])];
  else if (isObject(here) && isObject(value)) for (const [k, v] of Object.entries(value)) setPath(here, k, v);
  else node[last] = value;
}

const isObject = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Removes the value at `path`, and the objects it leaves empty. */
function deletePath(target: Record<string, Json>, path: string): void {
  const [head, ...rest] = path.split(".");
  const child = target[head!];
  if (rest.length > 0 && isObject(child)) {
    deletePath(child, rest.join("."));
    if (Object.keys(child).length > 0) return;
  }
  delete target[head!];
}

export interface ChartValueRow {
  readonly chart: string;
  /** The chroma-mod value ("same" when the path is the chart's), or undefined when it has none. */
  readonly to: string | undefined;
  readonly difference: string;
}

/** Every chart key chroma-mod knows, with its home here and how it differs (README's migration table). */
export function chartValueTable(): ChartValueRow[] {
  return Object.entries(rules).map(([chart, rule]) => {
    if ("into" in rule) return { chart, to: rule.into, difference: rule.how };
    if ("drop" in rule) return { chart, to: undefined, difference: rule.drop };
    const difference = [rule.note ?? rule.how, rule.chartDefault ? "the chart's default gives way to chroma-mod's" : undefined].filter(Boolean).join("; ");
    return { chart, to: rule.to === chart ? "same" : rule.to, difference };
  });
}

/** Every chart key with a value: objects walked, except the `whole` ones and lists. */
function leaves(value: Json, prefix = ""): Array<[string, Json]> {
  if (prefix && (whole.has(prefix) || typeof value !== "object" || value === null || Array.isArray(value))) return [[prefix, value]];
  return Object.entries(value as Record<string, Json>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/**
 * What the release's clients meet after the move. The chart enforced auth on 0.x only, with one Secret
 * `chromadb-auth` (a token, or a username and password): on 0.x with token auth the bundle names that Secret, so
 * clients keep their token; a 1.x release ran open whatever `chromadb.auth` said, and chroma-mod enforces it.
 */
function authCarryOver(values: Record<string, Json>, generation: "0" | "1" | undefined): string[] {
  const auth = (values.chromadb as { auth?: { enabled?: Json; type?: Json; existingSecret?: Json } } | undefined)?.auth;
  if (auth?.enabled !== true || generation === undefined) return [];
  if (generation === "1") {
    return [
      "the chart never enforced chromadb.auth on Chroma 1.x, so the release runs open; chroma-mod enforces it with its auth proxy: clients need the token apply generates (Secret <instance>-auth), or set chromadb.auth.enabled: false to keep the instance open.",
    ];
  }
  if (auth.existingSecret !== undefined) return [];
  if (auth.type === "basic") {
    return [
      "the chart's basic-auth Secret chromadb-auth has no htpasswd key, so chroma-mod generates new credentials (Secret <instance>-auth); to keep the release's, add an htpasswd line (htpasswd -nbB user password) to chromadb-auth and set chromadb.auth.existingSecret: chromadb-auth.",
    ];
  }
  auth.existingSecret = "chromadb-auth";
  return ["chromadb.auth.existingSecret is set to the chart's token Secret chromadb-auth, so the release's clients keep their token."];
}

/** The chart values document as chroma-mod values, with a note per chart key; `version` overrides the one the values name. */
export function importHelmValues(chart: Record<string, Json>, version?: string): HelmImport {
  const values: Record<string, Json> = {};
  const notes: ImportNote[] = [];
  const ingressOn = bool((chart.ingress as { enabled?: Json } | undefined)?.enabled) === true;
  for (const [path, value] of leaves(chart)) {
    const rule = rules[path];
    if (path.startsWith("ingress.") && !ingressOn) {
      notes.push({ chart: path, kind: "default", reason: "the chart's Ingress is off" });
      continue;
    }
    if (!rule) {
      notes.push({ chart: path, kind: "dropped", reason: "not a key of the Chroma chart versions chroma-mod knows (0.1.x–0.2.x)" });
      continue;
    }
    if ("into" in rule) {
      notes.push(isEmpty(value) ? { chart: path, kind: "default", reason: "unset" } : { chart: path, kind: "mapped", to: rule.into, reason: rule.how });
      continue;
    }
    if ("drop" in rule) {
      const isDefault = isEmpty(value) || (rule.unlessDefault?.(value) ?? false);
      notes.push({ chart: path, kind: isDefault ? "default" : "dropped", reason: rule.drop });
      continue;
    }
    const refused = isEmpty(value) ? undefined : rule.refuse?.(value);
    if (refused) {
      notes.push({ chart: path, kind: "dropped", reason: refused });
      continue;
    }
    if (!isEmpty(value) && rule.chartDefault?.(value)) {
      notes.push({ chart: path, kind: "default", to: rule.to, reason: ours });
      continue;
    }
    const mapped = isEmpty(value) ? undefined : rule.map ? rule.map(value, chart) : value;
    if (isEmpty(mapped)) {
      notes.push({ chart: path, kind: "default", to: rule.to, reason: "unset" });
      continue;
    }
    setPath(values, rule.to, mapped);
    notes.push({ chart: path, kind: "mapped", to: rule.to, ...(rule.how ? { reason: rule.how } : {}) });
  }
  const chroma = values.chromadb as { apiVersion?: string } | undefined;
  const tag = (values.image as { tag?: string } | undefined)?.tag;
  const chromaVersion = version ?? chroma?.apiVersion ?? (tag && isSupportedRelease(tag) ? tag : undefined);
  // Keys one Chroma generation reads and the other never did: left out for a release of the other.
  const generation = chromaVersion === undefined ? undefined : chromaVersion.startsWith("0.") ? "0" : "1";
  notes.forEach((n, i) => {
    const rule = rules[n.chart] as { only?: "0" | "1" } | undefined;
    if (n.kind !== "mapped" || !rule?.only || generation === undefined || rule.only === generation) return;
    deletePath(values, n.to!);
    notes[i] = {
      chart: n.chart,
      kind: "dropped",
      reason: `Chroma ${chromaVersion} does not read it: the chart applied it to ${rule.only === "0" ? "0.x" : "1.x"} releases only`,
    };
  });
  const warnings = authCarryOver(values, generation);
  // The chart's OpenTelemetry filters (1.x) sit in the same config section as the endpoint.
  const telemetry = (chart.chromadb as { telemetry?: { filters?: Json } } | undefined)?.telemetry;
  if (
    generation === "1" &&
    Array.isArray(telemetry?.filters) &&
    telemetry.filters.length > 0 &&
    (values.chromadb as Record<string, Json> | undefined)?.openTelemetry
  ) {
    setPath(values, "chromadb.extraConfig.open_telemetry.filters", telemetry.filters);
  }
  return { values, notes, chromaVersion, warnings };
}
