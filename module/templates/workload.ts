/** The StatefulSet running Chroma (and, on 1.x with auth, the nginx sidecar). */
import { createHash } from "node:crypto";
import type { KubeObject } from "../../core/types.ts";
import { metadataFor, type Instance } from "../instance.ts";
import { authEnv, authKeys, mountsHtpasswd } from "./auth.ts";
import { paths } from "./config.ts";
import { chromaEnv } from "./env.ts";
import { htpasswdCheck } from "./htpasswd-check.ts";
import { serverTokenCheck } from "./token-check.ts";
import { proxyFiles, proxyTokenEnv } from "./proxy.ts";

type Probe = Instance["values"]["probes"]["liveness"];

function httpProbe(probe: Probe, path: string, port: string | number, https: boolean) {
  if (!probe.enabled) return undefined;
  return {
    httpGet: { path, port, ...(https ? { scheme: "HTTPS" } : {}) },
    initialDelaySeconds: probe.initialDelaySeconds,
    periodSeconds: probe.periodSeconds,
    timeoutSeconds: probe.timeoutSeconds,
    failureThreshold: probe.failureThreshold,
  };
}

/** Probes on the port named http: the proxy's when it runs (over TLS when it serves TLS), else Chroma's. */
function probes(instance: Instance, paths: { liveness: string; readiness: string; startup: string }) {
  const { probes: p } = instance.values;
  const https = instance.tls !== undefined;
  return {
    ...definedEntry("startupProbe", httpProbe(p.startup, paths.startup, "http", https)),
    ...definedEntry("livenessProbe", httpProbe(p.liveness, paths.liveness, "http", https)),
    ...definedEntry("readinessProbe", httpProbe(p.readiness, paths.readiness, "http", https)),
  };
}

function proxiedChromaProbes(instance: Instance) {
  const { probes: p, chromadb } = instance.values;
  const path = instance.gates.health.liveness;
  const https = instance.tls !== undefined;
  return {
    ...definedEntry("startupProbe", httpProbe(p.startup, path, chromadb.serverHttpPort, https)),
    ...definedEntry("livenessProbe", httpProbe(p.liveness, path, chromadb.serverHttpPort, https)),
  };
}

function definedEntry<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

function securityContext(instance: Instance) {
  const { securityContext: sc } = instance.values;
  return {
    allowPrivilegeEscalation: sc.allowPrivilegeEscalation,
    readOnlyRootFilesystem: sc.readOnlyRootFilesystem,
    runAsNonRoot: sc.runAsNonRoot,
    privileged: sc.privileged,
    capabilities: { ...(sc.capabilities.add ? { add: sc.capabilities.add } : {}), drop: sc.capabilities.drop },
    ...(sc.seccompProfile ? { seccompProfile: sc.seccompProfile } : {}),
  };
}

function podSecurityContext(instance: Instance) {
  const { podSecurityContext: sc } = instance.values;
  const ids = { runAsUser: sc.runAsUser, runAsGroup: sc.runAsGroup, fsGroup: sc.fsGroup };
  return {
    runAsNonRoot: sc.runAsNonRoot,
    ...Object.fromEntries(Object.entries(ids).filter(([, id]) => id !== null)),
    ...(sc.fsGroup !== null ? { fsGroupChangePolicy: sc.fsGroupChangePolicy } : {}),
    ...(sc.supplementalGroups ? { supplementalGroups: sc.supplementalGroups } : {}),
    seccompProfile: sc.seccompProfile,
  };
}

/** The start check of the credentials a 0.x server reads itself (none without auth). */
function credentialsCheck(instance: Instance): string | undefined {
  if (mountsHtpasswd(instance)) return htpasswdCheck(instance, "server");
  const token = authEnv(instance).find((e) => e.valueFrom !== undefined);
  return token ? serverTokenCheck(instance, token.name) : undefined;
}

function chromaCommand(instance: Instance): { command: string[]; args: string[] } {
  const { values } = instance;
  const { chromadb } = values;
  if (instance.gates.serverCommand === "chroma-run") {
    return { command: ["dumb-init", "--", "chroma", "run"], args: [paths.configFile] };
  }
  const logConfig = chromadb.logConfigFileLocation ?? paths.logConfigFile;
  // Auth on 0.x: the htpasswd file or the token is checked first (htpasswd-check.ts and token-check.ts say why),
  // then the server is exec'd with the same arguments.
  const check = credentialsCheck(instance);
  return {
    command: check ? ["/bin/sh", "-c", `set -eu\n${check}\nexec "$@"\n`, "sh", "uvicorn"] : ["uvicorn"],
    args: [
      "chromadb.app:app",
      "--workers",
      "1",
      "--host",
      instance.proxied ? "127.0.0.1" : (chromadb.serverHost ?? "0.0.0.0"),
      "--port",
      String(instance.proxied ? values.proxy.upstreamPort : chromadb.serverHttpPort),
      "--proxy-headers",
      "--log-config",
      logConfig,
      ...(instance.gates.serverCommand === "uvicorn-keepalive" ? ["--timeout-keep-alive", "30"] : []),
    ],
  };
}

function chromaContainer(instance: Instance, hasConfig: boolean) {
  const { values } = instance;
  const { chromadb } = values;
  const mounts = [
    { name: "data", mountPath: instance.persistDirectory },
    { name: "tmp", mountPath: paths.tmp },
    ...(hasConfig && (instance.gates.settings === "config-file" || chromadb.logConfigFileLocation === undefined)
      ? [{ name: "config", mountPath: paths.configDir, readOnly: true }]
      : []),
    ...(mountsHtpasswd(instance) && instance.serverAuth ? [{ name: "auth", mountPath: paths.authDir, readOnly: true }] : []),
  ];
  const health = instance.gates.health;
  return {
    name: "chroma",
    image: `${values.image.repository}${values.image.tag === undefined && values.image.digest ? "" : `:${values.image.tag ?? instance.version}`}${values.image.digest ? `@${values.image.digest}` : ""}`,
    imagePullPolicy: values.image.pullPolicy,
    ...chromaCommand(instance),
    env: chromaEnv(instance),
    ...(instance.proxied
      ? // Chroma listens on loopback, out of the kubelet's reach: its startup and liveness probes go through the
        // proxy's port to Chroma's open health path, so a hung Chroma fails its own liveness and is restarted
        // (the proxy's /proxy-health would stay green). Readiness is the proxy's (it needs both containers).
        proxiedChromaProbes(instance)
      : {
          ports: [{ name: "http", containerPort: chromadb.serverHttpPort, protocol: "TCP" }],
          ...probes(instance, { startup: health.liveness, liveness: health.liveness, readiness: health.readiness }),
        }),
    resources: values.resources,
    securityContext: securityContext(instance),
    volumeMounts: mounts,
  };
}

function proxyContainer(instance: Instance) {
  const { values } = instance;
  const basic = instance.proxyAuth && values.chromadb.auth.type === "basic";
  const token = instance.proxyAuth && !basic;
  const health = instance.gates.health;
  return {
    name: "auth-proxy",
    image: `${values.proxy.image.repository}:${values.proxy.image.tag}`,
    imagePullPolicy: values.proxy.image.pullPolicy,
    command: ["/bin/sh", `${paths.proxyDir}/${proxyFiles.start}`],
    ...(token ? { env: [{ name: proxyTokenEnv, valueFrom: { secretKeyRef: { name: instance.names.authSecret, key: authKeys.token } } }] } : {}),
    ports: [{ name: "http", containerPort: values.chromadb.serverHttpPort, protocol: "TCP" }],
    // Startup and liveness check nginx itself; readiness goes through the proxy to Chroma's health path.
    ...probes(instance, { startup: "/proxy-health", liveness: "/proxy-health", readiness: health.readiness }),
    resources: values.proxy.resources,
    securityContext: securityContext(instance),
    volumeMounts: [
      { name: "config", mountPath: paths.proxyDir, readOnly: true },
      { name: "proxy-tmp", mountPath: paths.tmp },
      ...(basic ? [{ name: "auth", mountPath: paths.authDir, readOnly: true }] : []),
      ...(instance.tls ? [{ name: "tls", mountPath: paths.tlsDir, readOnly: true }] : []),
    ],
  };
}

/** A digest of the configuration the pod reads, so a change rolls the pod. */
function checksum(data: Record<string, string>): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("hex");
}

export function renderStatefulSet(instance: Instance, configData: Record<string, string>): KubeObject {
  const { values } = instance;
  const { chromadb } = values;
  const hasConfig = Object.keys(configData).length > 0;
  const podAnnotations = { ...values.podAnnotations, ...(hasConfig ? { "chroma-mod.io/config-checksum": checksum(configData) } : {}) };
  const volumes = [
    ...(hasConfig ? [{ name: "config", configMap: { name: instance.names.config } }] : []),
    // The writable places of the read-only root filesystem (readOnlyRootFilesystem: true), each needed, as the
    // container tests show by taking it away (test/containers/suite.ts): Chroma 1.x's SQLite needs a temporary
    // directory (without /tmp, `chroma run` panics at start with "disk I/O error"); 0.x gets /tmp as HOME and for
    // Python's tempfile; the auth proxy's start script and nginx write their files under /tmp/nginx.
    { name: "tmp", emptyDir: {} },
    ...(instance.proxied ? [{ name: "proxy-tmp", emptyDir: {} }] : []),
    ...(mountsHtpasswd(instance)
      ? [{ name: "auth", secret: { secretName: instance.names.authSecret, items: [{ key: authKeys.htpasswd, path: "htpasswd" }] } }]
      : []),
    ...(instance.tls ? [{ name: "tls", secret: { secretName: instance.tls.secret, items: ["tls.crt", "tls.key"].map((key) => ({ key, path: key })) } }] : []),
    ...(chromadb.isPersistent ? [] : [{ name: "data", emptyDir: {} }]),
  ];
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: metadataFor(instance, instance.names.workload),
    spec: {
      replicas: values.replicas,
      serviceName: instance.names.service,
      selector: { matchLabels: instance.selectorLabels },
      ...(chromadb.isPersistent ? { persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } } : {}),
      template: {
        metadata: {
          labels: { ...values.podLabels, ...instance.labels },
          ...(Object.keys(podAnnotations).length > 0 ? { annotations: podAnnotations } : {}),
        },
        spec: {
          serviceAccountName: instance.names.serviceAccount,
          automountServiceAccountToken: values.serviceAccount.automountServiceAccountToken,
          enableServiceLinks: false,
          securityContext: podSecurityContext(instance),
          ...(values.imagePullSecrets.length > 0 ? { imagePullSecrets: values.imagePullSecrets.map((name) => ({ name })) } : {}),
          terminationGracePeriodSeconds: values.terminationGracePeriodSeconds,
          ...(Object.keys(values.nodeSelector).length > 0 ? { nodeSelector: values.nodeSelector } : {}),
          ...(values.tolerations.length > 0 ? { tolerations: values.tolerations } : {}),
          ...(values.affinity ? { affinity: values.affinity } : {}),
          ...(values.priorityClassName ? { priorityClassName: values.priorityClassName } : {}),
          containers: [chromaContainer(instance, hasConfig), ...(instance.proxied ? [proxyContainer(instance)] : [])],
          volumes,
        },
      },
      ...(chromadb.isPersistent
        ? {
            volumeClaimTemplates: [
              {
                apiVersion: "v1",
                kind: "PersistentVolumeClaim",
                metadata: { name: "data", labels: instance.selectorLabels },
                spec: {
                  accessModes: chromadb.dataVolumeAccessModes,
                  ...(chromadb.dataVolumeStorageClass ? { storageClassName: chromadb.dataVolumeStorageClass } : {}),
                  resources: { requests: { storage: chromadb.dataVolumeSize } },
                  // The API server's default, written out: the template is kept as sent, so a no-op apply finds it equal.
                  volumeMode: "Filesystem",
                },
              },
            ],
          }
        : {}),
    },
  };
}
