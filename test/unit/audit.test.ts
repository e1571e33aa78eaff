/** `check`'s findings (module/audit.ts): each rule fires on the values that open its risk, and stays quiet otherwise. */
import t from "tap";
import { auditValues, findingIds } from "../../module/audit.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { values } from "../fixtures/values.ts";

const ids = (input: ValuesInput) => auditValues(values(input)).map((f) => f.id);
/** Values with none of the findings the defaults have (requests, limit, digest, validate). */
const careful: ValuesInput = {
  chromadb: { sqliteMigrationMode: "validate" },
  tls: { generate: true },
  resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { memory: "4Gi" } },
  image: { digest: `sha256:${"ab".repeat(32)}` },
};
const with_ = (extra: ValuesInput): ValuesInput => ({
  ...careful,
  ...extra,
  chromadb: { ...careful.chromadb, ...extra.chromadb },
});

t.test("the defaults: only what a bundle must decide itself", async (t) => {
  t.same(ids({}), ["no-memory-limit", "migrates-on-start", "no-requests", "plain-http", "image-no-digest"]);
  t.same(ids(careful), [], "careful values: nothing to report");
  t.same(
    ids({ chromadb: { apiVersion: "0.6.3" }, resources: careful.resources, image: careful.image, tls: careful.tls }),
    [],
    "0.x has no start-up migration setting",
  );
});

t.test("each rule, most severe first, with its value path and fix", async (t) => {
  const cases: [string, ValuesInput, string[]][] = [
    ["auth off", with_({ chromadb: { auth: { enabled: false } } }), ["auth-off"]],
    ["reset", with_({ chromadb: { allowReset: true } }), ["allow-reset"]],
    ["emptyDir", with_({ chromadb: { isPersistent: false } }), ["no-persistence"]],
    ["Ingress without TLS", with_({ ingress: { enabled: true, hosts: [{ host: "a.example" }] } }), ["ingress-no-tls", "ingress-backend-tls"]],
    ["Ingress with TLS", with_({ ingress: { enabled: true, hosts: [{ host: "a.example" }], tls: [{ secretName: "t" }] } }), ["ingress-backend-tls"]],
    [
      "Ingress told to speak HTTPS",
      with_({
        ingress: {
          enabled: true,
          hosts: [{ host: "a.example" }],
          tls: [{ secretName: "t" }],
          annotations: { "nginx.ingress.kubernetes.io/backend-protocol": "HTTPS" },
        },
      }),
      [],
    ],
    [
      "Ingress to a plain-HTTP Service",
      with_({ ingress: { enabled: true, hosts: [{ host: "a.example" }], tls: [{ secretName: "t" }] }, tls: {} }),
      ["plain-http"],
    ],
    ["NodePort", with_({ service: { type: "NodePort" } }), []],
    ["NodePort without TLS", with_({ service: { type: "NodePort" }, tls: {} }), ["exposed-plain-http"]],
    ["plain HTTP in the cluster", with_({ tls: {} }), ["plain-http"]],
    ["the user's certificate", with_({ tls: { secretName: "mine" } }), []],
    ["cert-manager", with_({ tls: { certManager: { issuerRef: { name: "ca" } } } }), []],
    ["LoadBalancer, any address", with_({ service: { type: "LoadBalancer" }, tls: {} }), ["exposed-plain-http", "load-balancer-open"]],
    ["LoadBalancer, source ranges", with_({ service: { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] } }), []],
    ["CORS *", with_({ chromadb: { apiVersion: "1.5.9", corsAllowOrigins: ["*"] } }), ["cors-wildcard"]],
    ["no NetworkPolicy", with_({ networkPolicy: { enabled: false } }), ["network-policy-off"]],
    ["open egress", with_({ networkPolicy: { allowExternalEgress: true } }), ["egress-open"]],
    [
      "Ingress behind listed clients",
      with_({
        ingress: { enabled: true, hosts: [{ host: "a.example" }], tls: [{ secretName: "t" }], annotations: { "x/backend-protocol": "HTTPS" } },
        networkPolicy: { allowExternal: false, from: [{ podSelector: {} }] },
      }),
      ["ingress-needs-peer"],
    ],
    ["telemetry", with_({ chromadb: { anonymizedTelemetry: true } }), ["telemetry-on"]],
    ["no limit", with_({ resources: { requests: { cpu: "1", memory: "1Gi" } } }), ["no-memory-limit"]],
    ["no requests", with_({ resources: { limits: { memory: "1Gi" } } }), ["no-requests"]],
    ["half the requests", with_({ resources: { requests: { memory: "1Gi" }, limits: { memory: "1Gi" } } }), ["no-requests"]],
    ["latest", with_({ image: { tag: "latest" } }), ["image-latest"]],
    ["a tag", with_({ image: { tag: "1.5.9" } }), ["image-no-digest"]],
    [
      "a weakened container",
      with_({
        securityContext: {
          privileged: true,
          allowPrivilegeEscalation: true,
          readOnlyRootFilesystem: false,
          runAsNonRoot: false,
          capabilities: { add: ["NET_ADMIN"] },
          seccompProfile: { type: "Unconfined" },
        },
      }),
      ["privilege-escalation", "added-capabilities", "privileged", "writable-root", "may-run-as-root", "seccomp-unconfined"],
    ],
    [
      "a root pod, unconfined",
      with_({ podSecurityContext: { runAsNonRoot: false, seccompProfile: { type: "Unconfined" } } }),
      ["may-run-as-root", "seccomp-unconfined"],
    ],
    ["a token", with_({ serviceAccount: { automountServiceAccountToken: true } }), ["service-account-token"]],
    ["no probes", with_({ probes: { liveness: { enabled: false }, readiness: { enabled: false } } }), ["no-liveness-probe", "no-readiness-probe"]],
    ["start-up migration", { ...careful, chromadb: { apiVersion: "1.0.0" } }, ["migrates-on-start"]],
  ];
  const seen = new Set<string>();
  for (const [name, input, expected] of cases) {
    const findings = auditValues(values(input));
    t.same(
      findings.map((f) => f.id),
      expected,
      name,
    );
    for (const f of findings) {
      seen.add(f.id);
      t.ok(f.message.length > 0 && f.fix.length > 0 && /^[a-z]/.test(f.path), `${f.id}: a message, a fix, a value path`);
    }
  }
  t.same([...seen].sort(), [...findingIds].sort(), "every id is reported by some case, and listed");
  const [first] = auditValues(values(with_({ chromadb: { auth: { enabled: false }, allowReset: true } })));
  t.match(first, { id: "allow-reset", severity: "high", path: "chromadb.allowReset", message: /from any client/ }, "reset without auth: anyone");
  t.same(
    auditValues(values(with_({ chromadb: { auth: { enabled: false }, anonymizedTelemetry: true }, image: { tag: "latest" } }))).map((f) => f.severity),
    ["high", "medium", "low"],
    "most severe first",
  );
});
