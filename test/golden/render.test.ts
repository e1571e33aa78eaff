/**
 * Golden snapshots of the rendered YAML for each version family × feature, plus semantic asserts that say what
 * each snapshot must contain. Update snapshots deliberately: `npm run snap`.
 */
import t from "tap";
import { stringify } from "yaml";
import { checkValues } from "../../module/check.ts";
import { render } from "../../module/render.ts";
import { toYaml } from "../../engine/serialize.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { values } from "../fixtures/values.ts";

const versions = ["0.4.6", "0.4.7", "0.4.8", "0.4.24", "0.5.0", "0.5.23", "0.6.3", "1.0.0", "1.5.9"] as const;

const features: Record<string, ValuesInput["chromadb"] & object> = {
  "auth-off": { auth: { enabled: false } },
  "token-authorization": { auth: { type: "token", token: { tokenHeader: "Authorization" } } },
  "token-x-chroma-token": { auth: { type: "token", token: { tokenHeader: "X-Chroma-Token" } } },
  basic: { auth: { type: "basic" } },
  "no-persistence": { auth: { enabled: false }, isPersistent: false },
  "existing-secret": { auth: { type: "token", existingSecret: "my-credentials" } },
};

function renderYaml(input: ValuesInput) {
  const rendered = render(values(input), { name: "vectors", namespace: "search" });
  return `${toYaml(rendered.objects)}# generated secrets\n${stringify(rendered.generatedSecrets)}`;
}

for (const version of versions) {
  t.test(version, async (t) => {
    for (const [feature, chromadb] of Object.entries(features)) {
      const input: ValuesInput = { chromadb: { ...chromadb, apiVersion: version } };
      if (checkValues(values(input)).length > 0) continue; // refused by vet, tested in check.test.ts
      t.matchSnapshot(renderYaml(input), feature);
    }
  });
}

t.test("ingress, service, scheduling and every optional branch", async (t) => {
  t.matchSnapshot(
    renderYaml({
      chromadb: {
        apiVersion: "1.5.9",
        corsAllowOrigins: ["https://app.example"],
        maxPayloadSizeBytes: 1024,
        sqliteMigrationMode: "validate",
        openTelemetry: { endpoint: "http://otel:4317", serviceName: "vec" },
        dataVolumeStorageClass: "fast",
      },
      image: { repository: "registry.example/chroma", tag: "1.5.9-patched", pullPolicy: "Always" },
      imagePullSecrets: ["regcred"],
      service: { type: "LoadBalancer", port: 80, nodePort: 30080, annotations: { a: "b" }, labels: { c: "d" }, loadBalancerSourceRanges: ["10.0.0.0/8"] },
      ingress: {
        enabled: true,
        className: "nginx",
        annotations: { x: "y" },
        hosts: [{ host: "chroma.example" }],
        tls: [{ secretName: "tls", hosts: ["chroma.example"] }],
      },
      serviceAccount: { annotations: { "iam.example/role": "chroma" } },
      nodeSelector: { zone: "a" },
      tolerations: [{ key: "k", operator: "Exists", effect: "NoSchedule" }],
      affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] } },
      priorityClassName: "high",
      podSecurityContext: { runAsUser: null, runAsGroup: null, fsGroup: null, supplementalGroups: [5] },
      securityContext: { capabilities: { add: ["NET_BIND_SERVICE"] }, seccompProfile: { type: "RuntimeDefault" } },
      probes: { startup: { enabled: false } },
      extraEnv: [{ name: "RUST_LOG", value: "info" }],
      labels: { team: "search" },
      annotations: { owner: "search" },
      podLabels: { tier: "db" },
      podAnnotations: { "prometheus.io/scrape": "false" },
    }),
    "1.x everything",
  );
  t.matchSnapshot(
    renderYaml({
      chromadb: {
        apiVersion: "0.4.24",
        auth: { enabled: false },
        logConfigFileLocation: "/custom/log.yaml",
        openTelemetry: { endpoint: "http://otel:4317", granularity: "all" },
      },
      serviceAccount: { create: false },
      service: { type: "NodePort", nodePort: 30000 },
    }),
    "0.4.24 own log config, otel, no service account",
  );
  t.matchSnapshot(
    renderYaml({ chromadb: { apiVersion: "0.6.3", logConfig: "version: 1\n", auth: { enabled: false } }, serviceAccount: { create: false, name: "shared" } }),
    "0.6.3 custom log config content",
  );
  t.matchSnapshot(renderYaml({ chromadb: { apiVersion: "1.5.9", auth: { enabled: false } } }), "1.5.9 without auth: no proxy");
  t.matchSnapshot(
    renderYaml({
      chromadb: { apiVersion: "1.5.9", anonymizedTelemetry: true, openTelemetry: { endpoint: "https://otel.example" } },
      networkPolicy: {
        allowExternal: false,
        from: [
          { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } },
          { podSelector: { matchLabels: { app: "rag" } } },
          { namespaceSelector: { matchLabels: { team: "ml" } }, podSelector: { matchExpressions: [{ key: "role", operator: "In", values: ["api"] }] } },
          { ipBlock: { cidr: "10.20.0.0/16" } },
        ],
        extraEgress: [{ to: [{ ipBlock: { cidr: "10.0.0.0/8" } }], ports: [{ port: 9000 }, { protocol: "UDP" }] }, { to: [{ namespaceSelector: {} }] }],
      },
    }),
    "network policy: listed clients, configured endpoints, extra egress",
  );
  t.matchSnapshot(
    renderYaml({ chromadb: { apiVersion: "0.6.3", auth: { enabled: false } }, networkPolicy: { allowExternalEgress: true } }),
    "network policy: egress open",
  );
  t.matchSnapshot(renderYaml({ chromadb: { apiVersion: "0.6.3", auth: { enabled: false } }, networkPolicy: { enabled: false } }), "network policy: off");
  t.matchSnapshot(
    renderYaml({ chromadb: { apiVersion: "0.6.3" }, tls: { generate: true, dnsNames: ["chroma.internal.example"] } }),
    "tls: generated, 0.x with token auth",
  );
  t.matchSnapshot(
    renderYaml({
      chromadb: { apiVersion: "1.5.9", auth: { enabled: false } },
      tls: { certManager: { issuerRef: { name: "internal-ca", kind: "ClusterIssuer" } } },
    }),
    "tls: cert-manager, 1.x without auth",
  );
  t.matchSnapshot(
    renderYaml({ chromadb: { apiVersion: "1.5.9", auth: { type: "basic" } }, tls: { secretName: "my-tls" } }),
    "tls: the user's Secret, 1.x basic auth",
  );
});
