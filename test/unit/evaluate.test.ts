import t from "tap";
import { digestOf, evaluate, parseOverride } from "../../engine/evaluate.ts";
import { UserError, ValidationError } from "../../engine/errors.ts";
import { fileNameFor, toJsonList, toYaml } from "../../engine/serialize.ts";
import { chromaModule } from "../../module/index.ts";

const file = "bundle.config.ts";

t.test("evaluate renders every instance, sorted by name, with digests", async (t) => {
  const instances = evaluate(chromaModule, { instances: { b: {}, a: { namespace: "x", values: { chromadb: { apiVersion: "0.6.3" } } } } }, { file });
  t.same(instances.map((i) => [i.name, i.namespace]), [["a", "x"], ["b", "default"]]);
  t.equal(instances[0]!.module, `chroma/${chromaModule.version}`);
  t.match(instances[0]!.valuesDigest, /^sha256:[0-9a-f]{64}$/);
  t.not(instances[0]!.valuesDigest, instances[1]!.valuesDigest);
  t.ok(instances[0]!.objects.length > 0);
});

t.test("all issues at once: schema errors, then module checks with instance paths", async (t) => {
  const shape = t.throws(() => evaluate(chromaModule, { instances: { a: { values: { replicas: "x" } }, b: { values: { chromadb: { auth: { type: "oidc" } } } } } }, { file })) as unknown as ValidationError;
  t.type(shape, ValidationError);
  t.same(shape.issues.map((i) => i.path), ["a.values.replicas", "b.values.chromadb.auth.type"]);
  const gates = t.throws(() => evaluate(chromaModule, { instances: { a: { values: { chromadb: { apiVersion: "0.4.6" } } }, b: { values: { replicas: 2 } } } }, { file })) as unknown as ValidationError;
  t.same(gates.issues.map((i) => i.path), ["a.values.chromadb.auth.type", "b.values.replicas"]);
  t.match(gates.message, /^bundle\.config\.ts: 2 invalid values:\n {2}a\.values\.chromadb\.auth\.type: /);
  const one = t.throws(() => evaluate(chromaModule, { instances: { a: { values: { replicas: 2 } } } }, { file })) as unknown as ValidationError;
  t.match(one.message, /^bundle\.config\.ts: 1 invalid value:\n/);
  const notAnObject = t.throws(() => evaluate(chromaModule, 42, { file })) as unknown as ValidationError;
  t.same(notAnObject.issues, [{ path: "", message: "expected Object, got 42" }]);
});

t.test("union issues", async (t) => {
  const error = t.throws(() =>
    evaluate(chromaModule, { instances: { a: { values: { extraEnv: ["A=1", { name: "B", value: "1", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] } } } }, { file }),
  ) as unknown as ValidationError;
  t.same(error.issues, [
    { path: "a.values.extraEnv.0", message: 'expected Object, got "A=1"' },
    { path: "a.values.extraEnv.1", message: "expected an object of exactly one of the allowed shapes (it mixes keys of several)" },
  ]);
});

t.test("overrides", async (t) => {
  t.same(parseOverride("a.chromadb.allowReset=true"), { instance: "a", path: ["chromadb", "allowReset"], value: true });
  t.same(parseOverride("a.x=[1, 2]").value, [1, 2]);
  t.same(parseOverride("a.x=").value, null);
  t.equal(parseOverride("a.x=: :").value, ": :", "not YAML: kept as text");
  for (const bad of ["a=1", "noequals", ".x=1", "a..b=1"]) t.throws(() => parseOverride(bad), UserError, bad);
  const [a] = evaluate(chromaModule, { instances: { a: { values: { chromadb: { allowReset: false } } } } }, { file, overrides: [parseOverride("a.chromadb.allowReset=true"), parseOverride("a.labels.team=x"), parseOverride("a.chromadb.auth.type=basic")] });
  t.equal(a!.values.chromadb.allowReset, true);
  t.same(a!.values.labels, { team: "x" });
  const [b] = evaluate(chromaModule, { instances: { b: {} } }, { file, overrides: [parseOverride("b.replicas=0")] });
  t.equal(b!.values.replicas, 0, "an instance without values gets them");
  const replaced = evaluate(chromaModule, { instances: { c: { values: { labels: "oops" } } } }, { file, overrides: [parseOverride("c.labels.x=y")] });
  t.same(replaced[0]!.values.labels, { x: "y" }, "a non-object on the path is replaced");
  const unknown = t.throws(() => evaluate(chromaModule, { instances: { a: {} } }, { file, overrides: [parseOverride("zz.x=1")] })) as unknown as UserError;
  t.match(unknown.hint, "Known instances: a.");
  const none = t.throws(() => evaluate(chromaModule, {}, { file, overrides: [parseOverride("zz.x=1")] })) as unknown as UserError;
  t.match(none.hint, "Known instances: (none).");
});

t.test("digests ignore key order", async (t) => {
  t.equal(digestOf({ a: 1, b: [1, { c: 2, d: null }] }), digestOf({ b: [1, { d: null, c: 2 }], a: 1 }));
  t.not(digestOf({ a: 1 }), digestOf({ a: 2 }));
  t.equal(digestOf(undefined), digestOf(null));
});

t.test("serialize", async (t) => {
  const shared = { a: "b" };
  const objects = [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "n", labels: shared, annotations: shared } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } },
  ];
  t.equal(toYaml(objects), "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: n\n  labels:\n    a: b\n  annotations:\n    a: b\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n");
  t.same(JSON.parse(toJsonList(objects)), { apiVersion: "v1", kind: "List", items: objects });
  t.equal(fileNameFor(objects[0]!), "n.configmap.x.yaml");
  t.equal(fileNameFor(objects[1]!), "_cluster.namespace.n.yaml");
});
