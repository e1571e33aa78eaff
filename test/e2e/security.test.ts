/**
 * The module's security objects on the real control plane: every pod of every example bundle passes the PodSecurity
 * `restricted` admission, and each NetworkPolicy's selectors select, on the live objects, the pods they mean: the
 * instance's own pod (not its neighbour's), and the namespaces and pods its peers name. Enforcement needs a CNI,
 * which the local cluster has not: what is checked here is that Kubernetes accepts the policies and what they select.
 */
import t from "tap";
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { apply } from "../../engine/apply/index.ts";
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
