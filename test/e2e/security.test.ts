/**
 * The module's security objects on the real control plane: every pod of every example bundle passes the PodSecurity
 * `restricted` admission, and each NetworkPolicy's selectors select, on the live objects, the pods they mean: the
 * instance's own pod (not its neighbour's), and the namespaces and pods its peers name. Enforcement needs a CNI,
 * which the local cluster has not: what is checked here is that Kubernetes accepts the policies and what they select.
 * TLS: the certificate `apply` issues once (`tls.generate`) is a kubernetes.io/tls Secret for the Service's names,
 * kept by later applies and masked by diff; `tls.certManager` on a cluster without cert-manager's CRDs fails with
 * the CRD's name and how to install it, and with the CRDs (from the cert-manager Go module) the Certificate applies.
 */
import t from "tap";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { apply, diff } from "../../engine/apply/index.ts";
import { KindNotFoundError } from "../../engine/kube/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import type { KubeObject } from "../../core/types.ts";
import { loadInstances } from "../../cli/app.ts";
import { chromaModule } from "../../module/index.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { createNamespace, liveObject, setup } from "./fixtures/helpers.ts";

const e = await setup("e2e-security");
const namespaces: string[] = [];
t.teardown(() => {
  if (namespaces.length > 0) e.kubectl(["delete", "namespace", ...namespaces, "--wait=false"]);
  e.client.close();
});
const namespace = (prefix: string) => {
  const ns = createNamespace(e, prefix);
  namespaces.push(ns);
  return ns;
};
const kubectlApply = (object: object) => {
  const r = e.kubectl(["apply", "--server-side", "--field-manager=e2e-setup", "-f", "-"], { input: JSON.stringify(object) });
  if (r.code !== 0) throw new Error(r.stderr);
};

/** Where the pods of this test run: kwok's fake node (nothing here needs Chroma to answer). */
const onFakeNode = {
  tolerations: [{ key: "chroma-mod.io/fake-node", operator: "Exists", effect: "NoSchedule" }],
  nodeSelector: { type: "kwok" },
} satisfies ValuesInput;

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A label selector as `kubectl -l` takes it. */
function selectorString(selector: Selector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (selector.matchExpressions ?? []).map(({ key, operator, values = [] }) =>
    operator === "Exists" ? key : operator === "DoesNotExist" ? `!${key}` : `${key} ${operator.toLowerCase()} (${values.join(",")})`,
  );
  return [...labels, ...expressions].join(",");
}

const names = (args: string[]) => {
  const r = e.kubectl(["get", ...args, "-o", "name"]);
  if (r.code !== 0) throw new Error(r.stderr);
  return r.stdout.split("\n").filter(Boolean).sort();
};

t.test("every pod of every example bundle passes PodSecurity restricted; one that adds a capability is refused", async (t) => {
  const ns = namespace("psa");
  const bundles = readdirSync("bundles").filter((f) => f.endsWith(".config.ts"));
  t.ok(bundles.length >= 3, `example bundles: ${bundles.join(", ")}`);
  const pods: KubeObject[] = [];
  for (const file of bundles) {
    for (const instance of await loadInstances(join("bundles", file), { cwd: process.cwd(), stderr: () => {} })) {
      const sts = instance.objects.find((o) => o.kind === "StatefulSet")!;
      const spec = sts.spec as { template: { spec: Record<string, unknown> & { volumes?: unknown[] } }; volumeClaimTemplates?: KubeObject[] };
      const claims = (spec.volumeClaimTemplates ?? []).map((c) => ({ name: c.metadata.name, persistentVolumeClaim: { claimName: c.metadata.name } }));
      const podSpec: Record<string, unknown> = { ...spec.template.spec, volumes: [...(spec.template.spec.volumes ?? []), ...claims] };
      const serviceAccount = podSpec.serviceAccountName as string;
      if (serviceAccount !== "default" && !names(["-n", ns, "serviceaccount"]).includes(`serviceaccount/${serviceAccount}`))
        t.equal(e.kubectl(["-n", ns, "create", "serviceaccount", serviceAccount]).code, 0);
      pods.push({ apiVersion: "v1", kind: "Pod", metadata: { name: `${file.split(".")[0]}-${instance.name}`, namespace: ns }, spec: podSpec });
    }
  }
  t.ok(pods.length >= 5, `${pods.length} pods`);
  const create = async (pod: KubeObject) =>
    e.client.raw({ method: "POST", path: `/api/v1/namespaces/${ns}/pods`, query: { dryRun: "All", fieldValidation: "Strict" }, body: pod });
  for (const pod of pods) {
    const res = await create(pod);
    t.equal(res.status, 201, `${pod.metadata.name}: ${(res.body as { message?: string }).message ?? "admitted"}`);
  }
  // The check can fail: the same pod with a container that adds a capability is refused by the same admission.
  const widened = structuredClone(pods[0]!);
  const containers = (widened.spec as { containers: { securityContext: Record<string, unknown> }[] }).containers;
  containers[0]!.securityContext = { ...containers[0]!.securityContext, capabilities: { add: ["SYS_ADMIN"], drop: ["ALL"] } };
  const refused = await create(widened);
  t.equal(refused.status, 403);
  t.match((refused.body as { message: string }).message, /violates PodSecurity "restricted:latest": unrestricted capabilities/);
});

t.test("each NetworkPolicy selects its own instance's pod, and its peers the namespaces and pods they name", async (t) => {
  const ns = namespace("netpol");
  const clients = namespace("clients");
  const team = `ml-${randomBytes(3).toString("hex")}`;
  e.kubectl(["label", "namespace", clients, `team=${team}`]);
  const clientPod = (name: string, role: string): KubeObject => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: clients, labels: { role } },
    spec: {
      ...onFakeNode,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
      containers: [{ name: "app", image: "registry.example/app:1.0", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } } }],
    },
  });
  kubectlApply(clientPod("api", "api"));
  kubectlApply(clientPod("batch", "batch"));
  const common = { ...onFakeNode, chromadb: { isPersistent: false, auth: { enabled: false } } } satisfies ValuesInput;
  const instances = evaluate(
    chromaModule,
    {
      instances: {
        guarded: {
          namespace: ns,
          values: {
            ...common,
            networkPolicy: {
              allowExternal: false,
              from: [{ namespaceSelector: { matchLabels: { team } }, podSelector: { matchExpressions: [{ key: "role", operator: "In", values: ["api"] }] } }],
              extraEgress: [{ to: [{ namespaceSelector: { matchLabels: { team } } }], ports: [{ port: 9000 }] }],
            },
          },
        },
        open: { namespace: ns, values: common },
      },
    },
    { file: "security.config.ts" },
  );
  const results = await apply(instances, { client: e.client, timeoutMs: 120_000 });
  t.same(
    results.map((r) => r.changes.filter((c) => c.object.startsWith("NetworkPolicy/")).map((c) => `${c.action} ${c.object}`)),
    [[`created NetworkPolicy/${ns}/guarded`], [`created NetworkPolicy/${ns}/open`]],
  );
  for (const name of ["guarded", "open"]) {
    const policy = liveObject(e, ["-n", ns, "networkpolicy", name])!;
    const spec = policy.spec as { podSelector: Selector; ingress: { from?: { namespaceSelector: Selector; podSelector: Selector }[] }[]; egress: unknown[] };
    t.same(names(["-n", ns, "pods", "-l", selectorString(spec.podSelector)]), [`pod/${name}-0`], `${name}: its policy selects its pod, only`);
    if (name === "open") {
      t.notOk(spec.ingress[0]!.from, "open: any client");
      continue;
    }
    const [peer] = spec.ingress[0]!.from!;
    t.same(names(["namespaces", "-l", selectorString(peer!.namespaceSelector)]), [`namespace/${clients}`], "the peer's namespaces: the clients'");
    t.same(names(["-n", clients, "pods", "-l", selectorString(peer!.podSelector)]), ["pod/api"], "the peer's pods: the api pod, not the batch one");
    t.equal(spec.egress.length, 2, "DNS, and the extra rule");
  }
});

const kwokValues = { ...onFakeNode, chromadb: { isPersistent: false } } satisfies ValuesInput;

t.test("tls.generate: apply issues the certificate once, for the Service's names; later applies keep it; diff masks it", async (t) => {
  const ns = namespace("tls");
  const instances = () =>
    evaluate(chromaModule, { instances: { vec: { namespace: ns, values: { ...kwokValues, tls: { generate: true } } } } }, { file: "tls.config.ts" });
  const [first] = await apply(instances(), { client: e.client, timeoutMs: 120_000, wait: true });
  t.match(
    first!.changes.find((c) => c.object === `Secret/${ns}/vec-tls`),
    { action: "created", reason: "generated keys: ca.crt, tls.crt, tls.key" },
  );
  const secret = liveObject(e, ["-n", ns, "secret", "vec-tls"])!;
  t.equal(secret.type, "kubernetes.io/tls");
  const data = secret.data as Record<string, string>;
  const pem = (key: string) => Buffer.from(data[key]!, "base64").toString();
  const cert = new X509Certificate(pem("tls.crt"));
  t.ok(cert.checkIssued(new X509Certificate(pem("ca.crt"))), "tls.crt is issued by ca.crt");
  t.equal(cert.subjectAltName, `DNS:vec, DNS:vec.${ns}, DNS:vec.${ns}.svc, DNS:vec.${ns}.svc.cluster.local, DNS:localhost, IP Address:127.0.0.1`);
  const pod = liveObject(e, ["-n", ns, "pod", "vec-0"])!;
  const probe = (pod.spec as { containers: { name: string; readinessProbe: { httpGet: { scheme: string } } }[] }).containers.find(
    (c) => c.name === "auth-proxy",
  )!;
  t.equal(probe.readinessProbe.httpGet.scheme, "HTTPS", "the probes go over TLS");
  const [again] = await apply(instances(), { client: e.client, timeoutMs: 120_000 });
  t.equal(again!.writes, 0, "a second apply writes nothing");
  t.same(liveObject(e, ["-n", ns, "secret", "vec-tls"])!.data, data, "the certificate is kept");
  const [changes] = await diff(
    evaluate(
      chromaModule,
      { instances: { vec: { namespace: ns, values: { ...kwokValues, tls: { generate: true, dnsNames: ["chroma.example"] } } } } },
      { file: "tls.config.ts" },
    ),
    { client: e.client },
  );
  const text = changes!.changes.map((c) => c.diff).join("\n");
  t.notMatch(text, /BEGIN CERTIFICATE|BEGIN PRIVATE KEY|LS0tLS1CRUdJTi/, "diff never shows the certificate or the key");
});

/** cert-manager's CRDs, from its Go module (deploy/crds), as `go mod download` puts them in the Go module cache. */
function certManagerCrds(): string[] {
  const r = spawnSync("go", ["mod", "download", "-json", "github.com/cert-manager/cert-manager@v1.21.2"], { encoding: "utf8", cwd: "/", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`go mod download cert-manager failed: ${r.stdout}${r.stderr}`);
  const dir = join((JSON.parse(r.stdout) as { Dir: string }).Dir, "deploy", "crds");
  return readdirSync(dir)
    .filter((f) => f.startsWith("cert-manager.io_") && f.endsWith(".yaml"))
    .map((f) => readFileSync(join(dir, f), "utf8"));
}

t.test("tls.certManager: without cert-manager's CRDs apply names the CRD and how to install it; with them the Certificate applies", async (t) => {
  const ns = namespace("certmgr");
  const crds = ["certificates", "certificaterequests", "issuers", "clusterissuers"].map((plural) => `${plural}.cert-manager.io`);
  e.kubectl(["delete", "crd", ...crds, "--ignore-not-found", "--wait=true"]);
  const instances = () =>
    evaluate(
      chromaModule,
      { instances: { vec: { namespace: ns, values: { ...kwokValues, tls: { certManager: { issuerRef: { name: "internal-ca", kind: "ClusterIssuer" } } } } } } },
      { file: "certmgr.config.ts" },
    );
  const error = await apply(instances(), { client: e.client, timeoutMs: 60_000, kindHints: chromaModule.kindHints }).then(
    () => undefined,
    (err: unknown) => err,
  );
  t.type(error, KindNotFoundError);
  t.match((error as Error).message, 'The cluster does not serve kind "Certificate" in apiVersion "cert-manager.io/v1" (needed for Certificate "vec-tls").');
  t.match((error as KindNotFoundError).hint, /CustomResourceDefinition certificates\.cert-manager\.io is not installed.*Install cert-manager/);
  t.equal(liveObject(e, ["-n", ns, "statefulset", "vec"]), undefined, "nothing of the instance was applied");
  t.teardown(() => e.kubectl(["delete", "crd", ...crds, "--ignore-not-found", "--wait=false"]));
  for (const crd of certManagerCrds()) {
    const r = e.kubectl(["apply", "--server-side", "--field-manager=e2e-setup", "-f", "-"], { input: crd });
    t.equal(r.code, 0, r.stderr);
  }
  t.equal(e.kubectl(["wait", "--for=condition=Established", "--timeout=60s", "crd/certificates.cert-manager.io"]).code, 0, "the CRD is established");
  const [result] = await apply(instances(), { client: e.client, timeoutMs: 60_000, kindHints: chromaModule.kindHints });
  t.match(
    result!.changes.find((c) => c.object === `Certificate/${ns}/vec-tls`),
    { action: "created" },
    "the Certificate applies",
  );
  const certificate = liveObject(e, ["-n", ns, "certificate", "vec-tls"])!;
  t.match(certificate.spec, { secretName: "vec-tls", issuerRef: { name: "internal-ca", kind: "ClusterIssuer", group: "cert-manager.io" } });
  const volumes = (
    liveObject(e, ["-n", ns, "statefulset", "vec"])!.spec as { template: { spec: { volumes: { name: string; secret?: { secretName: string } }[] } } }
  ).template.spec.volumes;
  t.equal(volumes.find((v) => v.name === "tls")?.secret?.secretName, "vec-tls", "the proxy mounts the Secret cert-manager fills");
});
