/** Chroma-specific checks that need the version gates: auth support, replicas, settings a version ignores. */
import { load as parseYaml } from "js-yaml";
import type { ValueIssue } from "../core/issues.ts";
import type { Values } from "../schemas/values.ts";
import { gatesFor, gateTable, firstRelease } from "./gates.ts";
import { kubeIssues } from "./check-kube.ts";
import { moduleEnvNames } from "./env-names.ts";
import { extraConfigIssues } from "./extra-config.ts";
import { tlsSources } from "./instance.ts";
import { moduleConfigKeys, paths } from "./templates/config.ts";

/** Environment variables that configure auth; `extraEnv` must not set them (on 0.5+ the 0.4 names are silently ignored). */
const authEnvPattern = /^CHROMA_(SERVER_AUTHN?_|AUTH_|CLIENT_AUTH)/i;

/**
 * Why a log config is not one Python's logging.config.dictConfig accepts, or undefined. js-yaml reads it: YAML 1.1,
 * as Chroma's PyYAML does (and the parser the templates already load).
 */
function logConfigProblem(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    return `is not valid YAML (${(error as Error).message.split("\n")[0]})`;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return "is not a YAML mapping";
  if ((parsed as { version?: unknown }).version !== 1) return "has no `version: 1` (Python's logging.config.dictConfig requires it)";
  return undefined;
}

/** Every problem with one instance's values, each with its path relative to the values root. */
export function checkValues(values: Values): ValueIssue[] {
  const issues: ValueIssue[] = [];
  const { chromadb } = values;
  const version = chromadb.apiVersion;
  const gates = gatesFor(version);
  const is1x = gates.settings === "config-file";

  if (chromadb.auth.enabled) {
    const supported = chromadb.auth.type === "basic" ? gates.basicAuth : gates.tokenAuth;
    if (!supported) {
      const since = firstRelease(chromadb.auth.type === "basic" ? gateTable.basicAuth : gateTable.tokenAuth);
      issues.push({
        path: "chromadb.auth.type",
        message: `${chromadb.auth.type} auth needs Chroma >= ${since}, but chromadb.apiVersion is ${version}, which cannot enforce it (the server would run unauthenticated). Fix: set chromadb.apiVersion to ${since} or later${chromadb.auth.type === "token" && gates.basicAuth ? ', use chromadb.auth.type: "basic"' : ""}, or set chromadb.auth.enabled: false to run without auth on purpose.`,
      });
    }
  }

  if (values.replicas > 1 && chromadb.isPersistent) {
    issues.push({
      path: "replicas",
      message: `${values.replicas} replicas with persistence: Chroma is a single-node server whose SQLite and HNSW files cannot be shared or synced between pods, so replicas would each hold different data. Fix: set replicas: 1 (scale up with resources), or run Chroma's distributed/Cloud offering.`,
    });
  }

  if (gates.corsWildcardCrashes && chromadb.corsAllowOrigins.includes("*")) {
    issues.push({
      path: "chromadb.corsAllowOrigins",
      message: `"*" crashes Chroma ${version} at start (fixed in 1.0.11). Fix: list the origins, e.g. ["https://app.example"], or upgrade chromadb.apiVersion.`,
    });
  }

  if (gates.corsPreflightBlockedByAuth && chromadb.auth.enabled && chromadb.corsAllowOrigins.length > 0) {
    issues.push({
      path: "chromadb.corsAllowOrigins",
      message: `Chroma ${version} checks auth before CORS, so browsers' preflight requests (sent without credentials) are refused and CORS cannot work with auth on. Fix: upgrade chromadb.apiVersion to 0.5.0 or later, or put the browser-facing origin behind a proxy that answers preflights.`,
    });
  }

  if (chromadb.anonymizedTelemetry && !gates.productTelemetry) {
    issues.push({
      path: "chromadb.anonymizedTelemetry",
      message: `Chroma ${version} sends no product telemetry, so this setting would be silently ignored. Fix: remove it.`,
    });
  }

  if (chromadb.apiImpl === "chromadb.api.fastapi.FastAPI") {
    issues.push({
      path: "chromadb.apiImpl",
      message: `chromadb.api.fastapi.FastAPI is Chroma's HTTP *client* implementation; a server configured with it calls itself. Fix: remove chromadb.apiImpl (the server default is chromadb.api.segment.SegmentAPI).`,
    });
  }

  // Worked out on first use (it renders every gate variant): most instances have no extraEnv.
  const moduleNames = values.extraEnv.length > 0 ? moduleEnvNames() : new Set<string>();
  const seen = new Map<string, number>();
  values.extraEnv.forEach((env, index) => {
    const upper = env.name.toUpperCase();
    const first = seen.get(upper);
    if (first === undefined) seen.set(upper, index);
    if (authEnvPattern.test(env.name)) {
      issues.push({
        path: `extraEnv.${index}.name`,
        message: `${env.name} configures auth, which chromadb.auth renders for each version (0.5+ silently ignores the 0.4 names, and Chroma reads env names in any letter case, so it could turn auth off). Fix: remove it from extraEnv and use chromadb.auth.`,
      });
    } else if (moduleNames.has(upper)) {
      issues.push({
        path: `extraEnv.${index}.name`,
        message: `${env.name} is a variable the module sets from the values (${upper}); a second one, in any letter case, would override it (Chroma 0.x reads env names case-insensitively, 1.x reads CHROMA_* over its config file). Fix: remove it from extraEnv and set the matching value under chromadb.`,
      });
    } else if (first !== undefined) {
      issues.push({
        path: `extraEnv.${index}.name`,
        message: `${env.name} is set twice (also extraEnv.${first}.name, in any letter case): only one would take effect. Fix: keep one.`,
      });
    }
  });

  if (chromadb.logConfig !== undefined && !is1x) {
    const problem = logConfigProblem(chromadb.logConfig);
    if (problem)
      issues.push({
        path: "chromadb.logConfig",
        message: `the log config ${problem}, so Chroma ${version} would not start. Fix: give a Python logging dictConfig in YAML (see module/templates/log-config.ts), or remove it to use the module's.`,
      });
  }

  const { tls } = values;
  const sources = tlsSources(tls);
  if (sources.length > 1)
    issues.push({
      path: "tls",
      message: `sets ${sources.join(" and ")}: a certificate comes from one place. Fix: keep one of tls.secretName (your Secret), tls.generate: true (issued by apply) or tls.certManager.`,
    });
  if (tls.dnsNames.length > 0 && !tls.generate && tls.certManager === undefined)
    issues.push({
      path: "tls.dnsNames",
      message: `names are added to a certificate chroma-mod issues or asks cert-manager for, ${tls.secretName !== undefined ? "not to your own Secret's" : "and TLS is off"}, so they would change nothing. Fix: remove tls.dnsNames${tls.secretName !== undefined ? " (put the names in your certificate)" : ", or set tls.generate: true or tls.certManager"}.`,
    });

  // The proxy sidecar runs with auth or TLS (module/instance.ts `proxied`; auth a version cannot do is refused above).
  const proxied = chromadb.auth.enabled || sources.length > 0;
  if (proxied && chromadb.serverHost !== undefined && !["127.0.0.1", "localhost"].includes(chromadb.serverHost)) {
    issues.push({
      path: "chromadb.serverHost",
      message: `has no effect on Chroma ${version} with ${chromadb.auth.enabled ? "auth" : "TLS"}: Chroma listens on 127.0.0.1 behind the proxy sidecar (binding it elsewhere would let clients around the proxy), and the proxy listens on every address of the pod. Fix: remove chromadb.serverHost.`,
    });
  }

  const reservedMounts = [paths.tmp, paths.configDir, paths.authDir, paths.proxyDir, "/"];
  if (chromadb.persistDirectory !== undefined && reservedMounts.includes(chromadb.persistDirectory.replace(/(.)\/+$/, "$1"))) {
    issues.push({
      path: "chromadb.persistDirectory",
      message: `${chromadb.persistDirectory} is where the module mounts ${chromadb.persistDirectory === "/" ? "the container's root" : "its own files"}; two volumes cannot share a mount path. Fix: choose another directory, e.g. /data.`,
    });
  }

  const accessModes = chromadb.dataVolumeAccessModes;
  if (chromadb.isPersistent && (accessModes.length === 0 || (accessModes.includes("ReadWriteOncePod") && accessModes.length > 1))) {
    issues.push({
      path: "chromadb.dataVolumeAccessModes",
      message: `${accessModes.length === 0 ? "a volume needs an access mode" : "ReadWriteOncePod cannot be combined with other access modes"}; Kubernetes refuses the claim. Fix: e.g. ["ReadWriteOnce"].`,
    });
  }

  // The containers run as a non-root user with every capability dropped: a port below 1024 cannot be bound.
  const canBindLow = values.securityContext.capabilities.add?.includes("NET_BIND_SERVICE") ?? false;
  const ports: [string, number][] = [
    ["chromadb.serverHttpPort", chromadb.serverHttpPort],
    ...(proxied ? [["proxy.upstreamPort", values.proxy.upstreamPort] as [string, number]] : []),
  ];
  for (const [path, port] of ports) {
    if (port < 1024 && !canBindLow) {
      issues.push({
        path,
        message: `${port} is a privileged port: the server runs as a non-root user without capabilities and could not listen on it. Fix: use a port from 1024 (the Service's service.port can still be ${port}).`,
      });
    }
  }

  if (values.serviceAccount.create && values.serviceAccount.name === "default") {
    issues.push({
      path: "serviceAccount.name",
      message: `"default" is the namespace's own ServiceAccount: the instance would take it over and prune it. Fix: set serviceAccount.create: false to use it, or choose another name.`,
    });
  }

  issues.push(...kubeIssues(values));

  const only1x: [keyof typeof chromadb, unknown][] = [
    ["maxPayloadSizeBytes", chromadb.maxPayloadSizeBytes],
    ["sqliteMigrationMode", chromadb.sqliteMigrationMode],
    ["sqliteFilename", chromadb.sqliteFilename],
    ["extraConfig", chromadb.extraConfig],
  ];
  const only0x: [keyof typeof chromadb, unknown][] = [
    ["logConfigFileLocation", chromadb.logConfigFileLocation],
    ["logConfig", chromadb.logConfig],
    ["logging", chromadb.logging],
  ];
  for (const [key, value] of is1x ? only0x : only1x) {
    if (value !== undefined) {
      issues.push({
        path: `chromadb.${key}`,
        message: `Chroma ${version} does not read this setting (it applies to ${is1x ? "0.x" : "1.x"} only), so it would be silently ignored. Fix: remove it${is1x ? "" : " or set chromadb.apiVersion to 1.x"}.`,
      });
    }
  }

  if (chromadb.logging && !is1x && (chromadb.logConfig !== undefined || chromadb.logConfigFileLocation !== undefined)) {
    const other = chromadb.logConfig !== undefined ? "chromadb.logConfig replaces" : "chromadb.logConfigFileLocation points uvicorn away from";
    issues.push({
      path: "chromadb.logging",
      message: `${other} the module's log config, whose levels chromadb.logging sets, so the levels would be ignored. Fix: set the levels in your own log config, or remove ${chromadb.logConfig !== undefined ? "chromadb.logConfig" : "chromadb.logConfigFileLocation"}.`,
    });
  }

  if (is1x && chromadb.extraConfig) {
    const refused = new Map<string, string>();
    for (const [path, value] of Object.entries(moduleConfigKeys)) {
      const [top, sub] = path.split(".") as [string, string | undefined];
      const given = chromadb.extraConfig[top];
      if (given === undefined) continue;
      // A key the module renders, or a value that would replace a section holding one.
      const isSection = typeof given === "object" && given !== null && !Array.isArray(given);
      if (sub === undefined || !isSection) {
        if (!refused.has(top)) refused.set(top, sub === undefined ? value : `its own values (${value}, …)`);
      } else if (sub in given) refused.set(path, value);
    }
    issues.push(...extraConfigIssues(chromadb.extraConfig));
    for (const [path, value] of refused) {
      issues.push({
        path: `chromadb.extraConfig.${path}`,
        message: `the module renders ${path} of Chroma's config from ${value}, so extraConfig may not set it. Fix: set ${value
          .replace(/^its own values \(/, "")
          .split(" ")[0]!
          .replace(/,$/, "")} instead.`,
      });
    }
  }

  if (chromadb.openTelemetry && !gates.openTelemetry) {
    issues.push({
      path: "chromadb.openTelemetry",
      message: `OpenTelemetry export needs Chroma >= ${firstRelease(gateTable.openTelemetry)}; ${version} would ignore it. Fix: upgrade chromadb.apiVersion or remove chromadb.openTelemetry.`,
    });
  }

  if (proxied && values.proxy.upstreamPort === chromadb.serverHttpPort) {
    issues.push({
      path: "proxy.upstreamPort",
      message: `the auth proxy listens on chromadb.serverHttpPort (${chromadb.serverHttpPort}) and Chroma behind it on proxy.upstreamPort; both are ${chromadb.serverHttpPort}. Fix: choose another proxy.upstreamPort.`,
    });
  }

  if (values.ingress.enabled && values.ingress.hosts.length === 0) {
    issues.push({ path: "ingress.hosts", message: `the Ingress is enabled but has no hosts. Fix: add ingress.hosts: [{ host: "chroma.example.com" }].` });
  }

  return issues;
}
