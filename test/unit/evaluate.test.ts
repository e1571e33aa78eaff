import t from "tap";
import YAML from "yaml";
import { digestOf, evaluate } from "../../engine/evaluate.ts";
import { parseOverride } from "../../engine/overrides.ts";
import { UserError, ValidationError } from "../../engine/errors.ts";
import { fileNameFor, toJsonList, toYaml } from "../../engine/serialize.ts";
import { chromaModule } from "../../module/index.ts";

const file = "bundle.config.ts";

t.test("evaluate renders every instance, sorted by name, with digests", async (t) => {
  const instances = evaluate(chromaModule, { instances: { b: {}, a: { namespace: "x", values: { chromadb: { apiVersion: "0.6.3" } } } } }, { file });
  t.same(
    instances.map((i) => [i.name, i.namespace]),
    [
      ["a", "x"],
      ["b", "default"],
    ],
  );
  t.equal(instances[0]!.module, `chroma/${chromaModule.version}`);
  t.match(instances[0]!.valuesDigest, /^sha256:[0-9a-f]{64}$/);
  t.not(instances[0]!.valuesDigest, instances[1]!.valuesDigest);
  t.ok(instances[0]!.objects.length > 0);
});

t.test("all issues at once: schema errors, then module checks with instance paths", async (t) => {
  const shape = t.throws(() =>
    evaluate(chromaModule, { instances: { a: { values: { replicas: "x" } }, b: { values: { chromadb: { auth: { type: "oidc" } } } } } }, { file }),
  ) as unknown as ValidationError;
  t.type(shape, ValidationError);
  t.same(
    shape.issues.map((i) => i.path),
    ["a.values.replicas", "b.values.chromadb.auth.type"],
  );
  const gates = t.throws(() =>
    evaluate(chromaModule, { instances: { a: { values: { chromadb: { apiVersion: "0.4.6" } } }, b: { values: { replicas: 2 } } } }, { file }),
  ) as unknown as ValidationError;
  t.same(
    gates.issues.map((i) => i.path),
    ["a.values.chromadb.auth.type", "b.values.replicas"],
  );
  t.match(gates.message, /^bundle\.config\.ts: 2 invalid values:\n {2}a\.values\.chromadb\.auth\.type: /);
  const one = t.throws(() => evaluate(chromaModule, { instances: { a: { values: { replicas: 2 } } } }, { file })) as unknown as ValidationError;
  t.match(one.message, /^bundle\.config\.ts: 1 invalid value:\n/);
  const notAnObject = t.throws(() => evaluate(chromaModule, 42, { file })) as unknown as ValidationError;
  t.same(notAnObject.issues, [{ path: "", message: "expected Object, got 42" }]);
});

t.test("union issues", async (t) => {
  const error = t.throws(() =>
    evaluate(
      chromaModule,
      { instances: { a: { values: { extraEnv: ["A=1", { name: "B", value: "1", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }] } } } },
      { file },
    ),
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
  const [a] = evaluate(
    chromaModule,
    { instances: { a: { values: { chromadb: { allowReset: false } } } } },
    { file, overrides: [parseOverride("a.chromadb.allowReset=true"), parseOverride("a.labels.team=x"), parseOverride("a.chromadb.auth.type=basic")] },
  );
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
  // The digests apply recorded before JSON.stringify wrote them (key by key): a new chroma-mod must not see other values.
  const recorded: Array<[unknown, string]> = [
    [{ a: 1, b: [1, { c: 2, d: null }] }, "48d26dc490ffd7500e811b8624ced90f764951c3f3ccb7068956fbc42d88df30"],
    [{ "10": 1, "9": 2, b: 3, a: [undefined, 1] }, "8c96cb7846a13ca96dbc35701a9bcb02e5113e5ab9de2928a54f5b6706d9be52"],
    [JSON.parse('{"__proto__": {"x": 1}, "z": [], "y": {}}'), "9aa9662452e6ae820fcd23d051d1277b73c15389de4d4a36ac4850c3e78cf3e6"],
    [
      { s: 'ü\u2028"\\', n: -0, f: 1.5e300, nan: Number.NaN, u: undefined, nested: [[{ k: "v" }]] },
      "f8499c00bbfd32f25291a3e795132f338af0d85511fe3822a4bfb08d17542357",
    ],
    [{ "0": "zero", "01": "lead", a: { "4294967295": 1, "4294967294": 2 } }, "4bb1a1ff3026cc38163fd76929783e201ca2de27cc6f3382f45091db1c146194"],
  ];
  for (const [i, [value, digest]] of recorded.entries()) t.equal(digestOf(value), `sha256:${digest}`, `recorded digest ${i}`);
  t.equal(digestOf({ f: () => 1, s: Symbol("s"), a: [() => 1] }), digestOf({ f: null, s: null, a: [null] }), "no JSON value: null");
});

t.test("serialize", async (t) => {
  const shared = { a: "b" };
  const objects = [
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "n", labels: shared, annotations: shared } },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "n" } },
  ];
  t.equal(
    toYaml(objects),
    '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: "n"\n  labels:\n    a: b\n  annotations:\n    a: b\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: "n"\n',
    "shared objects written out each time; `n` quoted (a YAML 1.1 reader, as kubectl's, takes a bare n for false)",
  );
  const words = ["y", "n", "yes", "no", "on", "off", "true", "null", "~", "1e3", "0x1F", "-a", "a: b", "#x"];
  const parsed = YAML.parse(
    toYaml([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w" }, data: Object.fromEntries(words.map((w) => [w, w])) }]).slice(4),
  );
  t.same(parsed.data, Object.fromEntries(words.map((w) => [w, w])), "strings that look like other things stay strings");
  t.match(
    toYaml([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "w" }, data: { y: "y" } }]),
    '  "y": "y"\n',
    "a YAML 1.1 boolean word is quoted, as key and value",
  );
  t.same(JSON.parse(toJsonList(objects)), { apiVersion: "v1", kind: "List", items: objects });
  t.equal(fileNameFor(objects[0]!), "n.configmap.x.yaml");
  t.equal(fileNameFor(objects[1]!), "_cluster.namespace.n.yaml");
});

t.test("--set never pollutes Object.prototype and never loses a value silently", async (t) => {
  const bundle = { instances: { vectors: { values: {} } } };
  for (const text of [
    "__proto__.x=1",
    "vectors.__proto__.x=1",
    "vectors.values.__proto__.polluted=1",
    "constructor.prototype.x=1",
    "vectors.labels.constructor=1",
    "vectors.chromadb.prototype=1",
  ]) {
    const error = t.throws(() => evaluate(chromaModule, bundle, { file, overrides: [parseOverride(text)] })) as unknown as UserError;
    t.type(error, UserError, text);
    t.match(error.message, /cannot be used/, text);
  }
  t.equal(({} as Record<string, unknown>).x, undefined);
  t.equal(({} as Record<string, unknown>).polluted, undefined);
  const lost = t.throws(() => evaluate(chromaModule, bundle, { file, overrides: [parseOverride("toString.replicas=2")] })) as unknown as UserError;
  t.equal(lost.message, '--set toString.replicas: the bundle has no instance "toString".');
  const yamlKey = t.throws(() =>
    evaluate(chromaModule, bundle, { file, overrides: [parseOverride("vectors.labels={__proto__: x}")] }),
  ) as unknown as ValidationError;
  t.same(
    yamlKey.issues.map((i) => i.path),
    ["vectors.values.labels.__proto__"],
  );
  t.match(yamlKey.issues[0]!.message, /^\(--set\) the key "__proto__" cannot be used/);
});

t.test("keys JavaScript cannot hold are refused, never dropped", async (t) => {
  const named = t.throws(() => evaluate(chromaModule, { instances: { vectors: {}, prototype: {}, constructor: {} } }, { file })) as unknown as ValidationError;
  t.same(
    named.issues.map((i) => i.path),
    ["prototype", "constructor"],
    "not 'valid, 1 instance'",
  );
  const selector = t.throws(() =>
    evaluate(chromaModule, { instances: { vectors: { values: { nodeSelector: { prototype: "true", disk: "ssd" } } } } }, { file }),
  ) as unknown as ValidationError;
  t.same(selector.issues, [
    {
      path: "vectors.values.nodeSelector.prototype",
      message:
        'the key "prototype" cannot be used: "__proto__", "prototype" and "constructor" are refused as keys anywhere in a bundle (JavaScript objects cannot hold them safely)',
    },
  ]);
  t.match(selector.hint, /^A bundle is plain data/);
  const fn = t.throws(() => evaluate(chromaModule, { instances: { a: { values: { labels: { x: () => 1 } } } } }, { file })) as unknown as ValidationError;
  t.same(fn.issues, [{ path: "a.values.labels.x", message: "a function is not a value: call it and use what it returns" }]);
});

t.test("--set paths: the form errors print, list indexes", async (t) => {
  t.same(
    parseOverride("vectors.values.chromadb.allowReset=true"),
    { instance: "vectors", path: ["chromadb", "allowReset"], value: true },
    "<instance>.values.<path> as errors print it",
  );
  const env = [{ name: "A", value: "1" }];
  const run = (...sets: string[]) =>
    evaluate(chromaModule, { instances: { a: { values: { extraEnv: env } } } }, { file, overrides: sets.map(parseOverride) })[0]!.values;
  t.same(run("a.extraEnv.0.name=FOO").extraEnv, [{ name: "FOO", value: "1" }], "an index sets an item");
  t.same(env, [{ name: "A", value: "1" }], "the bundle itself is not changed");
  t.same(
    run("a.extraEnv.1.name=B", 'a.extraEnv.1.value="2"').extraEnv,
    [
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ],
    "the index one past the end appends",
  );
  t.same(run("a.values.extraEnv.0={name: C, value: '3'}").extraEnv, [{ name: "C", value: "3" }]);
  const past = t.throws(() => run("a.extraEnv.5.name=X")) as unknown as UserError;
  t.equal(past.message, "--set a.extraEnv.5.name: a.values.extraEnv has 1 item: index 5 is past its end.");
  t.equal(past.hint, "Set an existing item (0 to 0), or append one at index 1.");
  const named = t.throws(() => run("a.extraEnv.first.name=X")) as unknown as UserError;
  t.match(named.message, "a.values.extraEnv is a list: its items are numbered from 0 (e.g. a.values.extraEnv.0)");
  const fresh = evaluate(
    chromaModule,
    { instances: { b: {} } },
    { file, overrides: [parseOverride("b.extraEnv.0.name=N"), parseOverride("b.extraEnv.0.value=v")] },
  )[0]!.values;
  t.same(fresh.extraEnv, [{ name: "N", value: "v" }], "a missing list is created when the next segment is a number");
  const twoItems = t.throws(() =>
    evaluate(
      chromaModule,
      {
        instances: {
          c: {
            values: {
              extraEnv: [
                { name: "A", value: "1" },
                { name: "B", value: "2" },
              ],
            },
          },
        },
      },
      { file, overrides: [parseOverride("c.extraEnv.9.value=x")] },
    ),
  ) as unknown as UserError;
  t.match(twoItems.message, "has 2 items");
  const whole = evaluate(chromaModule, { instances: { d: { values: { replicas: 0 } } } }, { file, overrides: [parseOverride("d.values={replicas: 1}")] })[0]!
    .values;
  t.equal(whole.replicas, 1, "<instance>.values=… replaces the values");
  const notAnObject = evaluate(chromaModule, { instances: { e: 5 } }, { file, overrides: [parseOverride("e.replicas=1")] })[0]!.values;
  t.equal(notAnObject.replicas, 1, "an instance that is not an object is replaced, as any non-object on the path");
  const list = t.throws(() => evaluate(chromaModule, { instances: [] }, { file, overrides: [parseOverride("zz.x=1")] })) as unknown as UserError;
  t.match(list.hint, "Known instances: (none)");
});

t.test("--set values: YAML, but a number is what the user typed", async (t) => {
  t.equal(parseOverride("a.chromadb.apiVersion=1.10").value, "1.10", "1.10 is not 1.1");
  t.equal(parseOverride("a.chromadb.apiVersion=1.1").value, 1.1);
  t.equal(parseOverride("a.x=010").value, "010");
  t.equal(parseOverride("a.x=1e3").value, "1e3");
  t.equal(parseOverride("a.x=.inf").value, ".inf");
  t.equal(parseOverride("a.x=-5").value, -5);
  t.same(parseOverride("a.x=[1.10, 2, 0x1f]").value, ["1.10", 2, "0x1f"], "inside lists too");
  t.equal(parseOverride("a.x=*nowhere").value, "*nowhere", "YAML that cannot be turned into data stays text");
  const odd = t.throws(() =>
    evaluate(
      chromaModule,
      { instances: { a: {} } },
      { file, overrides: [parseOverride("a.labels.x=&l [1, *l]"), parseOverride("a.labels.y=!!timestamp 2001-12-14"), parseOverride("a.labels.z=!!set {p}")] },
    ),
  ) as unknown as ValidationError;
  t.same(
    odd.issues.map((i) => i.path),
    ["a.values.labels.x.1", "a.values.labels.y", "a.values.labels.z"],
    "what YAML tags make that is not data is named, never a crash",
  );
  const [a] = evaluate(
    chromaModule,
    { instances: { a: {} } },
    { file, overrides: [parseOverride("a.chromadb.apiVersion=1.0.0"), parseOverride("a.service.port=8080")] },
  );
  t.equal(a!.values.service.port, 8080);
});

t.test("--set errors never echo the value", async (t) => {
  const noEquals = t.throws(() => parseOverride("sk-live-abcdef")) as unknown as UserError;
  t.equal(noEquals.message, '--set: an argument without "=": expected <instance>.<value path>=<value>.');
  const noPath = t.throws(() => parseOverride("token=sk-live-abcdef")) as unknown as UserError;
  t.equal(noPath.message, "--set token=…: expected <instance>.<value path>=<value>.");
  const secret = t.throws(() =>
    evaluate(chromaModule, { instances: { a: {} } }, { file, overrides: [parseOverride("a.chromadb.auth.token=sk-live-abcdef")] }),
  ) as unknown as ValidationError;
  t.notMatch(secret.message, "sk-live", "nor does the validation error that follows");
});
