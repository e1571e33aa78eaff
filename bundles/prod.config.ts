// Production: a pinned Chroma 1.x with token auth (X-Chroma-Token), a 50Gi volume on a named class,
// an Ingress with TLS, CORS for one web app, OpenTelemetry to a collector, and scheduling constraints.
import { defineBundle } from "chroma-mod";

export default defineBundle({
  // Labels what the bundle owns; `apply` removes the instances you take out of this file.
  name: "prod",
  instances: {
    vectors: {
      namespace: "search",
      values: {
        chromadb: {
          apiVersion: "1.5.9",
          auth: { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } },
          dataVolumeSize: "50Gi",
          dataVolumeStorageClass: "fast-ssd",
          corsAllowOrigins: ["https://app.example.com"],
          maxPayloadSizeBytes: 104857600,
          sqliteMigrationMode: "validate",
          openTelemetry: { endpoint: "http://otel-collector.monitoring:4317" },
        },
        resources: { requests: { cpu: "1", memory: "4Gi" }, limits: { memory: "8Gi" } },
        nodeSelector: { "kubernetes.io/os": "linux" },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "search", effect: "NoSchedule" }],
        ingress: {
          enabled: true,
          className: "nginx",
          annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" },
          hosts: [{ host: "chroma.example.com" }],
          tls: [{ secretName: "chroma-tls", hosts: ["chroma.example.com"] }],
        },
        labels: { team: "search" },
      },
    },
  },
});
