/** The instance ConfigMap: the 0.x log config, the 1.x config.yaml, the auth proxy's nginx.conf and start script. */
import { dumpYaml } from "../../core/yaml-dump.ts";
import type { KubeObject } from "../../core/types.ts";
import { metadataFor, type Instance } from "../instance.ts";
import { moduleLogConfig } from "./log-config.ts";
import { nginxConf, proxyFiles, proxyStartScript } from "./proxy.ts";

/** Mount points inside the pod. */
export const paths = {
  configDir: "/etc/chroma",
  configFile: "/etc/chroma/config.yaml",
  logConfigFile: "/etc/chroma/log_config.yaml",
  proxyDir: "/etc/chroma-proxy",
  authDir: "/etc/chroma-auth",
  htpasswdFile: "/etc/chroma-auth/htpasswd",
  tlsDir: "/etc/chroma-tls",
  tmp: "/tmp",
} as const;

/** `extra` merged into `base`, objects key by key (a key of `extra` that is not an object replaces). */
function mergeConfig(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const here = out[key];
    const bothObjects = [here, value].every((x) => typeof x === "object" && x !== null && !Array.isArray(x));
    out[key] = bothObjects ? mergeConfig(here as Record<string, unknown>, value as Record<string, unknown>) : value;
  }
  return out;
}

/** The 1.x server config file (`FrontendServerConfig`), `chromadb.extraConfig` merged in. */
export function chromaConfigFile(instance: Instance): Record<string, unknown> {
  const { chromadb } = instance.values;
  const otel = chromadb.openTelemetry;
  return mergeConfig(moduleConfig(instance, chromadb, otel), chromadb.extraConfig ?? {});
}

function moduleConfig(
  instance: Instance,
  chromadb: Instance["values"]["chromadb"],
  otel: Instance["values"]["chromadb"]["openTelemetry"],
): Record<string, unknown> {
  return {
    port: instance.proxied ? instance.values.proxy.upstreamPort : chromadb.serverHttpPort,
    listen_address: instance.proxied ? "127.0.0.1" : (chromadb.serverHost ?? "0.0.0.0"),
    persist_path: instance.persistDirectory,
    allow_reset: chromadb.allowReset,
    ...(chromadb.corsAllowOrigins.length > 0 ? { cors_allow_origins: chromadb.corsAllowOrigins } : {}),
    ...(chromadb.maxPayloadSizeBytes !== undefined ? { max_payload_size_bytes: chromadb.maxPayloadSizeBytes } : {}),
    ...(chromadb.sqliteFilename !== undefined ? { sqlite_filename: chromadb.sqliteFilename } : {}),
    ...(chromadb.sqliteMigrationMode !== undefined ? { sqlitedb: { migration_mode: chromadb.sqliteMigrationMode } } : {}),
    ...(otel ? { open_telemetry: { endpoint: otel.endpoint, service_name: otel.serviceName ?? instance.name } } : {}),
  };
}

/**
 * The keys of the 1.x config file the module renders from its own values (`chromadb.extraConfig` may not set them),
 * with the value that sets each.
 */
export const moduleConfigKeys: Readonly<Record<string, string>> = {
  port: "chromadb.serverHttpPort (proxy.upstreamPort behind the auth proxy)",
  listen_address: "chromadb.serverHost",
  persist_path: "chromadb.persistDirectory",
  allow_reset: "chromadb.allowReset",
  cors_allow_origins: "chromadb.corsAllowOrigins",
  max_payload_size_bytes: "chromadb.maxPayloadSizeBytes",
  sqlite_filename: "chromadb.sqliteFilename",
  "sqlitedb.migration_mode": "chromadb.sqliteMigrationMode",
  "open_telemetry.endpoint": "chromadb.openTelemetry.endpoint",
  "open_telemetry.service_name": "chromadb.openTelemetry.serviceName",
};

export function configData(instance: Instance): Record<string, string> {
  const { chromadb } = instance.values;
  const data: Record<string, string> = {};
  if (instance.gates.settings === "config-file") {
    data["config.yaml"] = dumpYaml(chromaConfigFile(instance));
  } else if (chromadb.logConfigFileLocation === undefined) {
    data["log_config.yaml"] = chromadb.logConfig ?? moduleLogConfig(chromadb.logging);
  }
  if (instance.proxied) {
    data[proxyFiles.conf] = nginxConf(instance);
    data[proxyFiles.start] = proxyStartScript(instance);
  }
  return data;
}

export function renderConfigMap(instance: Instance, data: Record<string, string>): KubeObject | undefined {
  if (Object.keys(data).length === 0) return undefined;
  return { apiVersion: "v1", kind: "ConfigMap", metadata: metadataFor(instance, instance.names.config), data };
}
