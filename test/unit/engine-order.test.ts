import t from "tap";
import { groupByStage, mapLimit, sortForApply, sortForDelete, stageOf } from "../../engine/apply/order.ts";

const o = (apiVersion: string, kind: string, name = "x", namespace?: string) => ({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } });

t.test("stageOf", async (t) => {
  t.equal(stageOf(o("v1", "Namespace")), "namespaces");
  t.equal(stageOf(o("example.com/v1", "Namespace")), "rest");
  t.equal(stageOf(o("apiextensions.k8s.io/v1", "CustomResourceDefinition")), "crds");
  t.equal(stageOf(o("rbac.authorization.k8s.io/v1", "ClusterRole")), "cluster-rbac");
  t.equal(stageOf(o("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")), "cluster-rbac");
  t.equal(stageOf(o("storage.k8s.io/v1", "StorageClass")), "cluster-rbac");
  for (const k of ["ServiceAccount", "Secret", "ConfigMap", "PersistentVolumeClaim", "Role", "RoleBinding"]) t.equal(stageOf(o("v1", k)), "config", k);
  for (const k of ["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Pod"]) t.equal(stageOf(o("apps/v1", k)), "workloads", k);
  t.equal(stageOf(o("v1", "Service")), "rest");
  t.equal(stageOf(o("networking.k8s.io/v1", "Ingress")), "rest");
});

t.test("sorting and grouping", async (t) => {
  const objs = [
    o("v1", "Service", "s", "n"),
    o("apps/v1", "Deployment", "b", "n"),
    o("apps/v1", "Deployment", "a", "n"),
    o("v1", "Namespace", "n"),
    o("v1", "ConfigMap", "c", "n"),
  ];
  t.same(
    sortForApply(objs).map((x) => `${x.kind}/${x.metadata.name}`),
    ["Namespace/n", "ConfigMap/c", "Deployment/a", "Deployment/b", "Service/s"],
  );
  t.same(
    sortForDelete(objs).map((x) => `${x.kind}/${x.metadata.name}`),
    ["Service/s", "Deployment/b", "Deployment/a", "ConfigMap/c", "Namespace/n"],
  );
  t.same(
    groupByStage(objs).map(([s, l]) => [s, l.length]),
    [
      ["namespaces", 1],
      ["config", 1],
      ["workloads", 2],
      ["rest", 1],
    ],
  );
  const wrapped = objs.map((x) => ({ x }));
  t.same(
    groupByStage(wrapped, (w) => w.x).map(([s]) => s),
    ["namespaces", "config", "workloads", "rest"],
  );
  t.same(sortForApply([o("v1", "ConfigMap", "a", "n"), o("v1", "ConfigMap", "a", "n")]).length, 2);
  const names = ["e", "d", "c", "b", "a", "c"].map((n) => o("v1", "ConfigMap", n, "n"));
  t.same(
    sortForApply(names).map((x) => x.metadata.name),
    ["a", "b", "c", "c", "d", "e"],
  );
  t.same(
    sortForApply([...names].reverse()).map((x) => x.metadata.name),
    ["a", "b", "c", "c", "d", "e"],
  );
});

t.test("mapLimit keeps order, bounds concurrency, surfaces the first error", async (t) => {
  let inFlight = 0;
  let max = 0;
  const out = await mapLimit([5, 1, 3, 2, 4], 2, async (n) => {
    inFlight++;
    max = Math.max(max, inFlight);
    await new Promise((r) => setTimeout(r, n * 3));
    inFlight--;
    return n * 10;
  });
  t.same(out, [50, 10, 30, 20, 40]);
  t.equal(max, 2);
  t.same(await mapLimit([], 4, async (n: number) => n), []);
  const seen: number[] = [];
  await t.rejects(
    mapLimit([1, 2, 3, 4], 1, async (n) => {
      seen.push(n);
      if (n === 2) throw new Error("boom");
      return n;
    }),
    { message: "boom" },
  );
  t.same(seen, [1, 2], "stops taking new items after a failure");
});
