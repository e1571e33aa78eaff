import t from "tap";
import type { KubeObject } from "../../core/types.ts";
import { unchangedByOwnership } from "../../engine/apply/owned.ts";

// biome-ignore lint/suspicious/noExplicitAny: the fixtures are edited deep inside, in many shapes
type Deep = any;

// What we send, and the object as the API server keeps it after a server-side apply of exactly that (fieldsV1 as the
// server records it: list items by key, set items by value, port protocol defaulted into the key).
const desired: KubeObject = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "d", namespace: "n", labels: { app: "x" } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: "x" } },
    template: {
      metadata: { labels: { app: "x" } },
      spec: {
        containers: [{ name: "c", image: "i:1", args: ["a", "b"], ports: [{ containerPort: 8000, name: "http" }], resources: {} }],
        volumes: [{ name: "v", emptyDir: {} }],
      },
    },
  },
};

const ownedFields = {
  "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
  "f:spec": {
    "f:replicas": {},
    "f:selector": {},
    "f:template": {
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": {
        "f:containers": {
          'k:{"name":"c"}': {
            ".": {},
            "f:args": {},
            "f:image": {},
            "f:name": {},
            "f:ports": { 'k:{"containerPort":8000,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:name": {}, "f:protocol": {} } },
            "f:resources": {},
          },
        },
        "f:volumes": { 'k:{"name":"v"}': { ".": {}, "f:emptyDir": {}, "f:name": {} } },
      },
    },
  },
};

function liveOf(fields: object = ownedFields, extra: (o: KubeObject) => void = () => {}, entries?: object[]): KubeObject {
  const live = structuredClone(desired) as KubeObject & { spec: Deep; status?: unknown };
  live.metadata = {
    ...live.metadata,
    uid: "u",
    resourceVersion: "9",
    labels: { ...live.metadata.labels, other: "y" },
    managedFields: entries ?? [
      { manager: "chroma-mod", operation: "Apply", apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: fields },
      { manager: "kube-controller-manager", operation: "Update", apiVersion: "apps/v1", subresource: "status", fieldsType: "FieldsV1", fieldsV1: {} },
    ],
  };
  const c = live.spec.template.spec.containers[0];
  Object.assign(c, { imagePullPolicy: "IfNotPresent", terminationMessagePath: "/dev/termination-log" });
  c.ports[0].protocol = "TCP";
  live.spec.strategy = { type: "RollingUpdate" };
  live.status = { replicas: 1 };
  extra(live);
  return live;
}

t.test("an object applied as it is, with server defaults and others' fields, is unchanged", async (t) => {
  t.ok(unchangedByOwnership(desired, liveOf(), "chroma-mod"));
  // A key left undefined is not sent.
  t.ok(unchangedByOwnership({ ...desired, data: undefined }, liveOf(), "chroma-mod"));
  // Another manager's item in an associative list we own part of: ours are still exactly ours.
  const extraEnv = liveOf(undefined, (o: Deep) => o.spec.template.spec.containers.push({ name: "sidecar", image: "s" }));
  t.ok(unchangedByOwnership(desired, extraEnv, "chroma-mod"));
});

t.test("changed values and changed ownership are not unchanged", async (t) => {
  const edited = (f: (o: Deep) => void) => liveOf(undefined, f);
  t.notOk(
    unchangedByOwnership(
      desired,
      edited((o) => (o.spec.replicas = 3)),
      "chroma-mod",
    ),
    "a value differs",
  );
  t.notOk(
    unchangedByOwnership(
      desired,
      edited((o) => (o.spec.template.spec.containers[0].args = ["a"])),
      "chroma-mod",
    ),
    "an atomic list differs",
  );
  t.notOk(
    unchangedByOwnership(
      desired,
      edited((o) => delete o.spec.template.spec.containers[0].ports[0].name),
      "chroma-mod",
    ),
    "an owned field is gone",
  );
  const { "f:replicas": _r, ...specWithoutReplicas } = ownedFields["f:spec"];
  t.notOk(unchangedByOwnership(desired, liveOf({ ...ownedFields, "f:spec": specWithoutReplicas }), "chroma-mod"), "a field we send is not ours");
  t.notOk(
    unchangedByOwnership(
      desired,
      liveOf({ ...ownedFields, "f:data": {} }, (o: Deep) => (o.data = {})),
      "chroma-mod",
    ),
    "a field we own is not sent Deep more",
  );
  t.notOk(unchangedByOwnership({ ...desired, metadata: { ...desired.metadata, annotations: { a: "1" } } }, liveOf(), "chroma-mod"), "new metadata");
  const twoPorts = structuredClone(desired) as Deep;
  twoPorts.spec.template.spec.containers[0].ports.push({ containerPort: 9000 });
  t.notOk(unchangedByOwnership(twoPorts, liveOf(), "chroma-mod"), "a list item more");
  const reordered = structuredClone(desired) as Deep;
  reordered.spec.template.spec.volumes.unshift({ name: "w", emptyDir: {} });
  const liveTwo = liveOf(
    {
      ...ownedFields,
      "f:spec": {
        ...ownedFields["f:spec"],
        "f:template": {
          ...ownedFields["f:spec"]["f:template"],
          "f:spec": {
            ...ownedFields["f:spec"]["f:template"]["f:spec"],
            "f:volumes": { 'k:{"name":"v"}': { "f:name": {}, "f:emptyDir": {} }, 'k:{"name":"w"}': { "f:name": {}, "f:emptyDir": {} } },
          },
        },
      },
    },
    (o: Deep) => o.spec.template.spec.volumes.push({ name: "w", emptyDir: {} }),
  );
  t.notOk(unchangedByOwnership(reordered, liveTwo, "chroma-mod"), "list items in another order");
  reordered.spec.template.spec.volumes.reverse();
  t.ok(unchangedByOwnership(reordered, liveTwo, "chroma-mod"), "the same order");
});

t.test("a port protocol other than the default, or left out where it is not a key, is not unchanged", async (t) => {
  const udp = liveOf(undefined, (o: Deep) => {
    o.spec.template.spec.containers[0].ports[0].protocol = "UDP";
  });
  const fields = structuredClone(ownedFields) as Deep;
  const containers = fields["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"c"}'];
  containers["f:ports"] = { 'k:{"containerPort":8000,"protocol":"UDP"}': { "f:containerPort": {}, "f:name": {}, "f:protocol": {} } };
  t.notOk(
    unchangedByOwnership(
      desired,
      liveOf(fields, (o: Deep) => (o.spec.template.spec.containers[0].ports[0].protocol = "UDP")),
      "chroma-mod",
    ),
  );
  t.notOk(unchangedByOwnership(desired, udp, "chroma-mod"), "the key no longer matches the live item");
  // `protocol: TCP` owned outside a key: we did send it once, and no longer do.
  const notKey = structuredClone(ownedFields) as Deep;
  notKey["f:spec"]["f:template"]["f:spec"]["f:volumes"]['k:{"name":"v"}']["f:protocol"] = {};
  t.notOk(
    unchangedByOwnership(
      desired,
      liveOf(notKey, (o: Deep) => (o.spec.template.spec.volumes[0].protocol = "TCP")),
      "chroma-mod",
    ),
  );
});

t.test("sets, and field sets it cannot read, are matched or undecided", async (t) => {
  const withSet: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", finalizers: ["a", "b"] }, data: { k: "v" } };
  const entry = (fieldsV1: object) => [{ manager: "m", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1 }];
  const setFields = { "f:metadata": { "f:finalizers": { 'v:"a"': {}, 'v:"b"': {} } }, "f:data": { "f:k": {} } };
  const live = (fields: object, finalizers = ["a", "b"]): KubeObject => ({
    ...withSet,
    metadata: { ...withSet.metadata, finalizers, managedFields: entry(fields) },
  });
  t.ok(unchangedByOwnership(withSet, live(setFields), "m"));
  t.ok(unchangedByOwnership(withSet, live(setFields, ["x", "a", "b"]), "m"), "another manager's set item");
  t.notOk(unchangedByOwnership(withSet, live(setFields, ["b", "a"]), "m"), "order differs");
  t.notOk(unchangedByOwnership(withSet, live({ ...setFields, "f:metadata": { "f:finalizers": { 'v:"a"': {}, 'v:"c"': {} } } }), "m"), "an item gone");
  t.notOk(unchangedByOwnership(withSet, live({ ...setFields, "f:metadata": { "f:finalizers": { "i:0": {} } } }), "m"), "index keys");
  t.notOk(unchangedByOwnership(withSet, live({ ...setFields, "f:metadata": { "f:finalizers": { "k:{bad": {} } } }), "m"), "unparsable key");
  t.notOk(unchangedByOwnership(withSet, live({ ...setFields, "f:metadata": { "f:finalizers": { 'k:"a"': {} } } }), "m"), "a key that is no object");
  t.notOk(unchangedByOwnership(withSet, live({ ...setFields, "f:data": { "k:{}": {} } }), "m"), "a list key on a map");
  t.notOk(unchangedByOwnership(withSet, live({ ...setFields, "f:data": { "f:k": { "f:deeper": {} } } }), "m"), "fields below a string");
  t.notOk(unchangedByOwnership({ ...withSet, data: ["k"] } as unknown as KubeObject, live(setFields), "m"), "a list sent for a map");
  t.notOk(
    unchangedByOwnership({ ...withSet, metadata: { name: "c", finalizers: "a" } } as unknown as KubeObject, live(setFields), "m"),
    "a string sent for a list",
  );
});

t.test("only our own single Apply entry of the same apiVersion decides", async (t) => {
  const entry = { manager: "chroma-mod", operation: "Apply", apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: ownedFields };
  const with_ = (entries?: object[]) => liveOf(undefined, undefined, entries);
  t.notOk(unchangedByOwnership(desired, liveOf(), "someone-else"), "another manager");
  t.notOk(unchangedByOwnership(desired, with_([{ ...entry, operation: "Update" }]), "chroma-mod"), "an Update");
  t.notOk(unchangedByOwnership(desired, with_([{ ...entry, apiVersion: "apps/v1beta2" }]), "chroma-mod"), "another apiVersion");
  t.notOk(unchangedByOwnership(desired, with_([{ ...entry, fieldsType: "FieldsV2" }]), "chroma-mod"), "another format");
  t.notOk(unchangedByOwnership(desired, with_([{ ...entry, fieldsV1: undefined }]), "chroma-mod"), "no fields");
  t.notOk(unchangedByOwnership(desired, with_([entry, entry]), "chroma-mod"), "two entries");
  t.ok(unchangedByOwnership(desired, with_([entry, { ...entry, subresource: "scale", fieldsV1: {} }]), "chroma-mod"), "a subresource entry aside");
  t.notOk(unchangedByOwnership(desired, with_([]), "chroma-mod"), "no managedFields");
  const bare = liveOf();
  delete bare.metadata.managedFields;
  t.notOk(unchangedByOwnership(desired, bare, "chroma-mod"), "managedFields stripped");
  const noMeta: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { k: "v" } };
  const fields = { "f:data": { "f:k": {} } };
  const live = {
    ...noMeta,
    metadata: { name: "c", managedFields: [{ manager: "m", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: fields }] },
  };
  t.ok(unchangedByOwnership(noMeta, live, "m"), "name and namespace are not owned fields");
});

t.test("what the API server leaves out or adds by itself", async (t) => {
  const probe = { httpGet: { path: "/", port: 8000 }, initialDelaySeconds: 0 };
  const sent: KubeObject = { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { probe, flags: { on: false, name: "", list: [], map: {} } } };
  const fields = {
    "f:spec": {
      "f:probe": { "f:httpGet": { "f:path": {}, "f:port": {} }, "f:initialDelaySeconds": {} },
      "f:flags": { "f:on": {}, "f:name": {}, "f:list": {}, "f:map": {} },
    },
  };
  const entry = [{ manager: "m", operation: "Apply", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: fields }];
  const stored = (spec: object): KubeObject => ({ ...sent, metadata: { name: "p", managedFields: entry }, spec });
  t.ok(unchangedByOwnership(sent, stored({ probe: { httpGet: probe.httpGet }, flags: {} }), "m"), "owned empty values omitted (omitempty)");
  t.notOk(unchangedByOwnership(sent, stored({ probe: { httpGet: probe.httpGet }, flags: { on: true } }), "m"), "not an empty value live");
  const nonEmpty: KubeObject = { ...sent, spec: { probe: { ...probe, initialDelaySeconds: 5 }, flags: {} } };
  t.notOk(
    unchangedByOwnership(nonEmpty, stored({ probe: { httpGet: probe.httpGet }, flags: { on: false, name: "", list: [], map: {} } }), "m"),
    "a value that is not empty is never omitted",
  );

  const templates = [{ apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: { name: "data" }, spec: { resources: { requests: { storage: "1Gi" } } } }];
  const sts: KubeObject = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "s" }, spec: { volumeClaimTemplates: templates } };
  const stsEntry = [
    { manager: "m", operation: "Apply", apiVersion: "apps/v1", fieldsType: "FieldsV1", fieldsV1: { "f:spec": { "f:volumeClaimTemplates": {} } } },
  ];
  const liveSts = (t0: object) => ({ ...sts, metadata: { name: "s", managedFields: stsEntry }, spec: { volumeClaimTemplates: [t0] } });
  t.ok(unchangedByOwnership(sts, liveSts({ ...templates[0], status: { phase: "Pending" } }), "m"), "the status the server gives an embedded object");
  t.notOk(
    unchangedByOwnership(sts, liveSts({ ...templates[0], spec: { ...templates[0]!.spec, volumeMode: "Filesystem" } }), "m"),
    "a default inside an atomic value",
  );
  t.notOk(unchangedByOwnership(sts, { ...liveSts(templates[0]!), spec: { volumeClaimTemplates: [] } } as KubeObject, "m"), "fewer items");
  const withStatus: KubeObject = { ...sts, spec: { volumeClaimTemplates: [{ ...templates[0], status: { phase: "Bound" } }] } };
  t.notOk(unchangedByOwnership(withStatus, liveSts({ ...templates[0], status: { phase: "Pending" } }), "m"), "a status sent is compared");
});
