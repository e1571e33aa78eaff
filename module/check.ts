/** Chroma-specific checks that need the version gates: auth support, replicas, settings a version ignores. */
import type { ValueIssue } from "../engine/issues.ts";
import type { Values } from "../schemas/values.ts";
import { gatesFor, gateTable, firstRelease } from "./gates.ts";

/** Environment variables that configure auth; `extraEnv` must not set them (on 0.5+ the 0.4 names are silently ignored). */
const authEnvPattern = /^CHROMA_(SERVER_AUTHN?_|AUTH_|CLIENT_AUTH)/;

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

  values.extraEnv.forEach((env, index) => {
    if (authEnvPattern.test(env.name)) {
      issues.push({
        path: `extraEnv.${index}.name`,
        message: `${env.name} configures auth, which chromadb.auth renders for each version (0.5+ silently ignores the 0.4 names, leaving the server open). Fix: remove it from extraEnv and use chromadb.auth.`,
      });
    }
  });

  const only1x: [keyof typeof chromadb, unknown][] = [["maxPayloadSizeBytes", chromadb.maxPayloadSizeBytes], ["sqliteMigrationMode", chromadb.sqliteMigrationMode]];
  const only0x: [keyof typeof chromadb, unknown][] = [["logConfigFileLocation", chromadb.logConfigFileLocation], ["logConfig", chromadb.logConfig]];
  for (const [key, value] of is1x ? only0x : only1x) {
    if (value !== undefined) {
      issues.push({
        path: `chromadb.${key}`,
        message: `Chroma ${version} does not read this setting (it applies to ${is1x ? "0.x" : "1.x"} only), so it would be silently ignored. Fix: remove it${is1x ? "" : " or set chromadb.apiVersion to 1.x"}.`,
      });
    }
  }

  if (chromadb.openTelemetry && !gates.openTelemetry) {
    issues.push({
      path: "chromadb.openTelemetry",
      message: `OpenTelemetry export needs Chroma >= ${firstRelease(gateTable.openTelemetry)}; ${version} would ignore it. Fix: upgrade chromadb.apiVersion or remove chromadb.openTelemetry.`,
    });
  }

  if (is1x && chromadb.auth.enabled && values.proxy.upstreamPort === chromadb.serverHttpPort) {
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
