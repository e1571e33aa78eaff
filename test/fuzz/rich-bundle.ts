/** The base bundle of the fuzz cases (test/fuzz/generate.ts) beside the example bundles. */

/** A bundle that sets most values, so that mutations reach every part of the schema. */
export const richBundle = {
  instances: {
    rich: {
      namespace: "fuzz-rich",
      createNamespace: true,
      values: {
        chromadb: {
          apiVersion: "1.5.9",
          allowReset: true,
          isPersistent: true,
          persistDirectory: "/data/chroma",
          corsAllowOrigins: ["https://app.example.com"],
          dataVolumeSize: "2Gi",
          dataVolumeStorageClass: "fast-ssd",
          dataVolumeAccessModes: ["ReadWriteOnce"],
          auth: { enabled: true, type: "token", token: { tokenHeader: "X-Chroma-Token" } },
          maxPayloadSizeBytes: 10485760,
          sqliteMigrationMode: "validate",
          serverHttpPort: 8000,
          openTelemetry: { endpoint: "http://otel.monitoring:4317", serviceName: "chroma" },
        },
        image: { repository: "ghcr.io/chroma-core/chroma", pullPolicy: "IfNotPresent" },
        imagePullSecrets: ["regcred"],
        replicas: 1,
        resources: { requests: { cpu: "250m", memory: "1Gi" }, limits: { memory: "2Gi", "ephemeral-storage": "1Gi" } },
        nodeSelector: { "kubernetes.io/os": "linux" },
        tolerations: [
          { key: "dedicated", operator: "Equal", value: "search", effect: "NoSchedule" },
          { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
        ],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64", "arm64"] }] }],
            },
            preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: "zone", operator: "Exists" }] } }],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 50,
                podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "chroma" } } },
              },
            ],
          },
        },
        priorityClassName: "high-priority",
        podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, supplementalGroups: [2000] },
        securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        service: { type: "NodePort", port: 8000, nodePort: 30080, annotations: { "example.com/team": "search" }, labels: { tier: "db" } },
        ingress: {
          enabled: true,
          className: "nginx",
          annotations: { "cert-manager.io/cluster-issuer": "letsencrypt" },
          hosts: [{ host: "chroma.example.com", paths: [{ path: "/", pathType: "Prefix" }] }],
          tls: [{ secretName: "chroma-tls", hosts: ["chroma.example.com"] }],
        },
        serviceAccount: { create: true, name: "chroma-rich", annotations: { "iam.example.com/role": "reader" } },
        probes: { liveness: { periodSeconds: 20 }, readiness: { failureThreshold: 5 } },
        extraEnv: [
          { name: "LOG_LEVEL", value: "info" },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "EXTRA", valueFrom: { secretKeyRef: { name: "extra", key: "value" } } },
        ],
        labels: { team: "search" },
        annotations: { "example.com/owner": "search" },
        podLabels: { "sidecar.istio.io/inject": "false" },
        podAnnotations: { "prometheus.io/scrape": "false" },
        terminationGracePeriodSeconds: 60,
        proxy: { upstreamPort: 8001, resources: { requests: { cpu: "50m", memory: "64Mi" } } },
      },
    },
    legacy: {
      namespace: "fuzz-legacy",
      values: { chromadb: { apiVersion: "0.4.24", auth: { type: "basic", basic: { username: "reader" } }, logConfig: "version: 1\nroot:\n  level: INFO\n" } },
    },
  },
};
