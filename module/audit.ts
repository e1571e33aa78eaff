/**
 * What `check` reports: risks in values that vet accepts (auth off, reset allowed, data on an emptyDir, plain HTTP
 * on an exposed Service, no limits, a weakened pod…), each with a severity, the value path and the fix. Pure: the
 * values of one instance in, findings out, most severe first. In the spirit of kube-score and kubesec, but
 * Chroma-aware: it knows which values open which door, on which version.
 */
import type { Finding, Severity } from "../core/types.ts";
import { SEVERITIES } from "../core/types.ts";
import type { Values } from "../schemas/values.ts";
import { gatesFor } from "./gates.ts";
import { tlsSources } from "./instance.ts";

type Rule = (values: Values) => Finding | Finding[] | undefined;

const finding = (id: string, severity: Severity, path: string, message: string, fix: string): Finding => ({ id, severity, path, message, fix });

const rules: Rule[] = [
  ({ chromadb }) =>
    chromadb.auth.enabled
      ? undefined
      : finding(
          "auth-off",
          "high",
          "chromadb.auth.enabled",
          "any client that reaches the Service can read, change and delete every collection",
          "remove `auth.enabled: false` (token auth is the default); clients then send the token from the instance's Secret",
        ),
  ({ chromadb }) =>
    chromadb.allowReset
      ? finding(
          "allow-reset",
          "high",
          "chromadb.allowReset",
          `one API call (POST reset) deletes every collection${chromadb.auth.enabled ? " of every tenant" : ", from any client"}`,
          "remove `allowReset: true` unless this is a test server",
        )
      : undefined,
  ({ chromadb }) =>
    chromadb.isPersistent
      ? undefined
      : finding(
          "no-persistence",
          "high",
          "chromadb.isPersistent",
          "the data lives in an emptyDir: it is lost whenever the pod is rescheduled, evicted or deleted",
          "remove `isPersistent: false` (a PersistentVolumeClaim is the default)",
        ),
  (values) => {
    const { ingress } = values;
    if (ingress.enabled && ingress.tls.length === 0)
      return finding(
        "ingress-no-tls",
        "high",
        "ingress.tls",
        "the Ingress serves Chroma over plain HTTP: credentials and data cross the network in clear text",
        "add `ingress.tls` with a certificate Secret (or a cert-manager annotation that creates it) for the Ingress hosts",
      );
    const { tls } = values;
    if (tlsSources(tls).length > 0) return undefined;
    if (values.service.type !== "ClusterIP")
      return finding(
        "exposed-plain-http",
        "high",
        "service.type",
        `the ${values.service.type} Service exposes Chroma's plain-HTTP port outside the cluster: credentials and data cross the network in clear text`,
        "serve TLS (`tls.generate: true`, `tls.secretName` or `tls.certManager`), or set `service.type: ClusterIP` and publish Chroma through an Ingress with `ingress.tls`",
      );
    return finding(
      "plain-http",
      "low",
      "tls",
      "inside the cluster, clients reach Chroma over plain HTTP: tokens and data in clear text on the pod network",
      "set `tls.generate: true` (clients verify with the Secret's ca.crt), or `tls.secretName` / `tls.certManager`",
    );
  },
  ({ service }) =>
    service.type === "LoadBalancer" && !service.loadBalancerSourceRanges
      ? finding(
          "load-balancer-open",
          "medium",
          "service.loadBalancerSourceRanges",
          "the load balancer accepts connections from any address",
          "list the client networks in `service.loadBalancerSourceRanges`",
        )
      : undefined,
  ({ chromadb }) =>
    chromadb.corsAllowOrigins.includes("*")
      ? finding(
          "cors-wildcard",
          "medium",
          "chromadb.corsAllowOrigins",
          "any web page a user opens may call this Chroma from the user's browser",
          'list the web apps\' origins instead of "*", e.g. ["https://app.example.com"]',
        )
      : undefined,
  ({ networkPolicy }) => {
    if (!networkPolicy.enabled)
      return finding(
        "network-policy-off",
        "medium",
        "networkPolicy.enabled",
        "no NetworkPolicy: every pod in the cluster can reach every port of the pod, and the pod can connect anywhere",
        "remove `networkPolicy.enabled: false` (on by default)",
      );
    if (networkPolicy.allowExternalEgress)
      return finding(
        "egress-open",
        "low",
        "networkPolicy.allowExternalEgress",
        "the pod may connect anywhere: a compromised server can reach other services or send data out",
        "remove `allowExternalEgress: true` and list what Chroma must reach in `networkPolicy.extraEgress`",
      );
    return undefined;
  },
  ({ ingress, networkPolicy }) =>
    ingress.enabled && networkPolicy.enabled && !networkPolicy.allowExternal
      ? finding(
          "ingress-needs-peer",
          "info",
          "networkPolicy.from",
          "the Ingress controller reaches Chroma only if `networkPolicy.from` lists it",
          'add a peer for the controller, e.g. { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }',
        )
      : undefined,
  ({ ingress, tls }) =>
    ingress.enabled && tlsSources(tls).length > 0 && !Object.keys(ingress.annotations).some((key) => /backend-protocol$/.test(key))
      ? finding(
          "ingress-backend-tls",
          "info",
          "ingress.annotations",
          "the Service serves TLS, so the Ingress controller must connect to it over HTTPS",
          'tell the controller, e.g. ingress-nginx: annotations { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" }',
        )
      : undefined,
  ({ chromadb }) =>
    chromadb.anonymizedTelemetry
      ? finding(
          "telemetry-on",
          "low",
          "chromadb.anonymizedTelemetry",
          "the server sends anonymized usage statistics to Chroma's PostHog (and needs egress to port 443 for it)",
          "remove `anonymizedTelemetry: true` (off by default)",
        )
      : undefined,
  ({ resources }) => [
    ...(resources.limits?.memory === undefined
      ? [
          finding(
            "no-memory-limit",
            "medium",
            "resources.limits.memory",
            "no memory limit: Chroma keeps its HNSW indexes in memory and can take the node's memory from its neighbours",
            "set `resources.limits.memory` above the size of the indexes (e.g. 4Gi)",
          ),
        ]
      : []),
    ...(resources.requests?.memory === undefined || resources.requests?.cpu === undefined
      ? [
          finding(
            "no-requests",
            "low",
            "resources.requests",
            "without CPU and memory requests the scheduler cannot place the pod by its needs, and it is among the first evicted",
            "set `resources.requests.cpu` and `resources.requests.memory`",
          ),
        ]
      : []),
  ],
  ({ image }) => {
    if (image.tag === "latest")
      return finding(
        "image-latest",
        "medium",
        "image.tag",
        "`latest` changes under the same name: a restart can run another Chroma version than the config was rendered for",
        "remove `image.tag` (it follows `chromadb.apiVersion`) or pin a version",
      );
    if (image.digest === undefined)
      return finding(
        "image-no-digest",
        "info",
        "image.digest",
        "the image is pulled by tag, which its registry can move",
        "pin `image.digest: sha256:…` (the digest of the tag you tested)",
      );
    return undefined;
  },
  ({ securityContext: sc, podSecurityContext: pod }) => {
    const weakened: Finding[] = [];
    const weak = (id: string, path: string, message: string, fix: string) => weakened.push(finding(id, "high", path, message, fix));
    if (sc.privileged) weak("privileged", "securityContext.privileged", "the container runs privileged: root on the node", "remove `privileged: true`");
    if (sc.allowPrivilegeEscalation)
      weak(
        "privilege-escalation",
        "securityContext.allowPrivilegeEscalation",
        "a process can gain more privileges than its parent (setuid)",
        "remove `allowPrivilegeEscalation: true`",
      );
    if (!sc.readOnlyRootFilesystem)
      weak(
        "writable-root",
        "securityContext.readOnlyRootFilesystem",
        "an intruder can change the container's programs and libraries",
        "remove `readOnlyRootFilesystem: false` (the module mounts what must be writable)",
      );
    if (!sc.runAsNonRoot || !pod.runAsNonRoot)
      weak(
        "may-run-as-root",
        sc.runAsNonRoot ? "podSecurityContext.runAsNonRoot" : "securityContext.runAsNonRoot",
        "the container may run as root",
        "remove `runAsNonRoot: false`",
      );
    if ((sc.capabilities.add ?? []).length > 0)
      weak(
        "added-capabilities",
        "securityContext.capabilities.add",
        `the container gains ${sc.capabilities.add!.join(", ")}`,
        "remove `capabilities.add` (Chroma needs none)",
      );
    for (const [path, profile] of [
      ["podSecurityContext.seccompProfile", pod.seccompProfile],
      ["securityContext.seccompProfile", sc.seccompProfile],
    ] as const)
      if (profile?.type === "Unconfined")
        weak("seccomp-unconfined", path, "no seccomp filter: every system call is open to an intruder", "use `type: RuntimeDefault`");
    return weakened;
  },
  ({ serviceAccount }) =>
    serviceAccount.automountServiceAccountToken
      ? finding(
          "service-account-token",
          "medium",
          "serviceAccount.automountServiceAccountToken",
          "the pod holds a Kubernetes API token it never uses (Chroma never calls the API), for an intruder to use",
          "remove `automountServiceAccountToken: true`",
        )
      : undefined,
  ({ probes }) =>
    (["liveness", "readiness"] as const)
      .filter((probe) => !probes[probe].enabled)
      .map((probe) =>
        finding(
          `no-${probe}-probe`,
          "low",
          `probes.${probe}.enabled`,
          probe === "liveness" ? "a hung server is never restarted" : "clients are sent to a server that is not ready (starting, migrating)",
          `remove \`probes.${probe}.enabled: false\``,
        ),
      ),
  ({ chromadb }) =>
    gatesFor(chromadb.apiVersion).settings === "config-file" && chromadb.sqliteMigrationMode !== "validate"
      ? finding(
          "migrates-on-start",
          "low",
          "chromadb.sqliteMigrationMode",
          "a new Chroma version migrates the data when it starts, one way: a rollback to the old version cannot read it",
          'set `sqliteMigrationMode: "validate"` so that a server that needs a migration refuses to start instead',
        )
      : undefined,
];

/** The id of every finding a rule can report (for `--ignore`: an id that is none of them is a typo). */
export const findingIds = [
  "auth-off",
  "allow-reset",
  "no-persistence",
  "ingress-no-tls",
  "exposed-plain-http",
  "plain-http",
  "load-balancer-open",
  "cors-wildcard",
  "network-policy-off",
  "egress-open",
  "ingress-needs-peer",
  "ingress-backend-tls",
  "telemetry-on",
  "no-memory-limit",
  "no-requests",
  "image-latest",
  "image-no-digest",
  "privileged",
  "privilege-escalation",
  "writable-root",
  "may-run-as-root",
  "added-capabilities",
  "seccomp-unconfined",
  "service-account-token",
  "no-liveness-probe",
  "no-readiness-probe",
  "migrates-on-start",
] as const;

/** Every finding for one instance's values, most severe first (then by path). */
export function auditValues(values: Values): Finding[] {
  const findings = rules.flatMap((rule) => rule(values) ?? []);
  const rank = (f: Finding) => SEVERITIES.indexOf(f.severity);
  return findings.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path, "en"));
}
