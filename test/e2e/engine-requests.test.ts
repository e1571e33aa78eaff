/**
 * What apply and diff send, counted on the real control plane (the client's own counts, checked against the API
 * server's audit log): a no-op apply of the example bundles' instances reads one list per kind and namespace and
 * decides every object from its managedFields, so it sends no write and no dry-run, and the same number of requests
 * for 2 or for 6 copies of each instance; a first apply dry-runs nothing it creates and writes each object and each
 * inventory (with its first revision) once.
 */
import t from "tap";
import { apply, diff } from "../../engine/apply/index.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { KubeClient } from "../../engine/kube/client.ts";
import type { RenderedInstance } from "../../core/types.ts";
import { chromaModule } from "../../module/index.ts";
import { fuzzBases } from "../fuzz/bases.ts";
import { type AuditEvent, configMap, createNamespace, instance, setup, userKubeconfig } from "./fixtures/helpers.ts";
import { readFileSync } from "node:fs";

const e = await setup("e2e-req");
const ns = createNamespace(e, "req");
t.teardown(() => {
  e.kubectl(["delete", "namespace", ns, "--wait=false"]);
  e.client.close();
});

/**
 * Every instance of the example bundles, `copies` times, and the rich bundle's (every value set) once (it names
 * some objects itself), all in the test's namespace.
 */
async function instances(copies: number): Promise<RenderedInstance[]> {
  const bases = (await fuzzBases()) as Array<{ instances: Record<string, { namespace?: string; createNamespace?: boolean; values: unknown }> }>;
  const all = bases.flatMap((bundle, b) =>
    Object.entries(bundle.instances).flatMap(([name, inst]) =>
      Array.from(
        { length: b === bases.length - 1 ? 1 : copies },
        (_, c) => [`b${b}-${name}-${c}`, { ...shareable(inst), namespace: ns, createNamespace: false }] as const,
      ),
    ),
  );
  return evaluate(chromaModule, { instances: Object.fromEntries(all) }, { file: "requests.config.ts" });
}

/**
 * The rich bundle's fixed node port would clash with another test's (a cluster allocates each once), and the shared
 * cluster's few volumes are for the tests that need them bound: claims here ask a class nothing provides (Pending).
 */
function shareable<T extends { values: unknown }>(inst: T): T {
  const values = structuredClone(inst.values) as { service?: { nodePort?: number }; chromadb?: { dataVolumeStorageClass?: string } };
  delete values.service?.nodePort;
  values.chromadb = { ...values.chromadb, dataVolumeStorageClass: "chroma-e2e-unbound" };
  return { ...inst, values };
}

/** Requests of the user since `since` (the audit log is written asynchronously: until their number holds still). */
async function audited(since: Date): Promise<AuditEvent[]> {
  let events: AuditEvent[] = [];
  for (let stable = 0; stable < 3; ) {
    await new Promise((r) => setTimeout(r, 150));
    const now = readFileSync(e.info.auditLog, "utf8")
      .split("\n")
      .filter((l) => l.includes(e.user))
      .map((l) => JSON.parse(l) as AuditEvent)
      .filter((a) => a.user.username === e.user && a.stage === "ResponseComplete" && new Date(a.requestReceivedTimestamp) >= since);
    stable = now.length === events.length ? stable + 1 : 0;
    events = now;
  }
  return events;
}

/** A run on a client of its own (no discovery cached): the requests it sent, by kind. */
async function counted(run: (client: KubeClient) => Promise<unknown>): Promise<{ reads: number; writes: number; dryRuns: number; audited: number }> {
  const client = KubeClient.load({ kubeconfig: e.userKubeconfig, userAgent: "chroma-mod-e2e" });
  const since = new Date(); // the previous run's requests were all audited (audited() waited for them)
  try {
    await run(client);
  } finally {
    client.close();
  }
  return { ...client.counts, audited: (await audited(since)).length };
}

t.test("a no-op apply: no write, no dry-run, requests by kind and namespace, not by object", async (t) => {
  const few = await instances(2);
  const many = await instances(6);
  const objects = many.reduce((n, i) => n + i.objects.length + i.generatedSecrets.length, 0);
  const first = await counted((client) => apply(many, { client, timeoutMs: 60_000 }));
  t.equal(first.dryRuns, 0, "creating sends no dry-run");
  t.equal(first.writes, objects + many.length, `every object written once, and each inventory once, its first revision in it (${objects} objects)`);

  const kinds = new Set(
    many.flatMap((i) => [...i.objects, ...i.generatedSecrets.map(() => ({ apiVersion: "v1", kind: "Secret" }))].map((o) => `${o.apiVersion}/${o.kind}`)),
  );
  const groupVersions = new Set([...kinds].map((k) => k.slice(0, k.lastIndexOf("/"))));
  // Discovery of each group/version, the namespace, one list per kind (the inventory Secrets are in the Secret list),
  // and the StatefulSets' claims.
  const expected = groupVersions.size + 1 + kinds.size + 1;
  for (const [label, set] of [
    ["6 copies", many],
    ["2 copies", few],
  ] as const) {
    const noop = await counted((client) => apply(set, { client, timeoutMs: 60_000 }));
    t.same(
      { writes: noop.writes, dryRuns: noop.dryRuns, reads: noop.reads },
      { writes: 0, dryRuns: 0, reads: expected },
      `${label}: ${set.length} instances, ${expected} reads`,
    );
    t.equal(noop.audited, expected - groupVersions.size, "the API server saw exactly those (its audit policy leaves discovery out)");
  }
  const d = await counted(async (client) => {
    const results = await diff(many, { client });
    t.ok(results.every((r) => !r.changed));
  });
  t.same({ writes: d.writes, dryRuns: d.dryRuns, reads: d.reads }, { writes: 0, dryRuns: 0, reads: expected }, "diff reads the same");
});

t.test("a hand edit is found without a GET per object, and reverted", async (t) => {
  const set = await instances(1);
  const sts = set.flatMap((i) => i.objects).find((o) => o.kind === "StatefulSet")!;
  const edit = e.kubectl([
    "-n",
    ns,
    "patch",
    "statefulset",
    sts.metadata.name,
    "--type=merge",
    "-p",
    '{"spec":{"template":{"metadata":{"labels":{"x":"y"}}}}}',
  ]);
  t.equal(edit.code, 0, edit.stderr);
  const relabel = e.kubectl([
    "-n",
    ns,
    "label",
    "service",
    set[0]!.objects.find((o) => o.kind === "Service")!.metadata.name,
    "app.kubernetes.io/name=edited",
    "--overwrite",
  ]);
  t.equal(relabel.code, 0, relabel.stderr);
  let results: Awaited<ReturnType<typeof apply>> = [];
  const sent = await counted(async (client) => {
    results = await apply(set, { client, timeoutMs: 60_000 });
  });
  const changed = results.flatMap((r) => r.changes.filter((c) => c.action !== "unchanged").map((c) => c.object));
  t.same(
    changed.sort(),
    [`Service/${ns}/${set[0]!.objects.find((o) => o.kind === "Service")!.metadata.name}`].sort(),
    "the relabelled Service is applied again",
  );
  t.equal(sent.dryRuns, 2, "only the edited object is dry-run: it conflicts with kubectl-label's edit, which is taken over");
  t.equal(sent.writes, 1);
  const again = await counted((client) => apply(set, { client, timeoutMs: 60_000 }));
  t.same([again.writes, again.dryRuns], [0, 0], "converged");
});

t.test("a user who may get but not list: one GET per object instead of lists", async (t) => {
  const user = `nolist-${Date.now().toString(36)}`;
  const rbac = e.kubectl(["apply", "--server-side", "--field-manager=e2e-setup", "-f", "-"], {
    input: JSON.stringify({
      apiVersion: "v1",
      kind: "List",
      items: [
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "Role",
          metadata: { name: user, namespace: ns },
          rules: [{ apiGroups: [""], resources: ["configmaps", "secrets"], verbs: ["get", "create", "patch", "update"] }],
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "RoleBinding",
          metadata: { name: user, namespace: ns },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: user },
          subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRoleBinding",
          metadata: { name: user },
          roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "chroma-e2e-namespace-reader" },
          subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
        },
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: { name: "chroma-e2e-namespace-reader" },
          rules: [{ apiGroups: [""], resources: ["namespaces"], verbs: ["get"] }],
        },
      ],
    }),
  });
  t.equal(rbac.code, 0, rbac.stderr);
  t.teardown(() => void e.kubectl(["delete", "clusterrolebinding", user]));
  const client = KubeClient.load({ kubeconfig: await userKubeconfig(user) });
  t.teardown(() => client.close());
  const set = [instance("nolist", ns, [configMap("nolist-a", { k: "v" }), configMap("nolist-b", { k: "v" })])];
  const [first] = await apply(set, { client });
  t.same(
    first!.changes.map((c) => c.action),
    ["created", "created"],
  );
  const before = { ...client.counts };
  const [again] = await apply(set, { client });
  t.same(
    again!.changes.map((c) => c.action),
    ["unchanged", "unchanged"],
  );
  t.same([client.counts.writes - before.writes, client.counts.dryRuns - before.dryRuns], [0, 0], "still decided from managedFields");
});
