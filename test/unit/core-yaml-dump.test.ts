/**
 * core/yaml-dump.ts writes the shape of js-yaml's output itself: it must be js-yaml's, byte for byte, for every
 * object the module renders and for every shape and scalar plain data can have.
 */
import { dump } from "js-yaml";
import t from "tap";
import { dumpYaml } from "../../core/yaml-dump.ts";
import { render } from "../../module/render.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import { values } from "../fixtures/values.ts";

const jsYaml = (object: unknown) => dump(object, { lineWidth: -1, noRefs: true, quotingType: '"' });

const texts = [
  "a\nb",
  "a\nb\n",
  "a\nb\n\n",
  "a\n\n\nb\n\n\n",
  "\n",
  "\n\n",
  "\nleading newline",
  " leading space\nx\n",
  "\n  indented after a newline\n",
  "trailing spaces  \n  \nx",
  "key: value\n- item\n# comment\n",
  "--- \n...\n",
  "tab\there\n", // not printable for js-yaml: double-quoted
  "carriage\r\nreturn\n",
  "ünïcode\nline\n",
  "one line",
  "yes",
  "no",
  "on",
  "~",
  "null",
  "",
  " ",
  "1.5.9",
  "010",
  "0x1f",
  "1e3",
  ".inf",
  "2001-12-14",
  "<<",
  "- dash",
  "key: colon",
  "# hash",
  "'quote'",
  '"double"',
  "{flow}",
  "[flow]",
  "ü",
  "\u0007bell",
  "x".repeat(1100),
  ...["true", "false", "null", "y", "yes", "on", "n", "no", "off"].flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase(), `${w}x`]),
  "Null",
  "app.kubernetes.io/name",
  "a-",
  "a/b/",
  "a_b.c",
  "e1",
  "x1e3",
  "NaN",
  "Infinity",
];

const scalars: unknown[] = [
  0,
  -0,
  1,
  -5,
  2 ** 53,
  -(2 ** 53) + 1,
  1.5,
  1e21,
  1e-7,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  false,
  null,
];

t.test("every string and scalar, at every depth and position, as js-yaml writes it", async (t) => {
  for (const value of [...texts, ...scalars]) {
    const shapes: unknown[] = [
      { value },
      { a: { b: { c: value } } },
      { list: [value, [value, { deep: [value] }]] },
      { items: [{ first: value, second: value }] },
      [value],
      [[value]],
      [[[value, value]]],
      { ["__proto__"]: value, other: { "key with: colon": value } },
      { empty: {}, none: [], nested: { emptyList: [], emptyMap: {} }, value },
      [{}, [], { a: [] }],
    ];
    for (const shape of shapes) t.equal(dumpYaml(shape), jsYaml(shape), JSON.stringify(shape) ?? String(value));
  }
});

t.test("keys: quoted, empty, multi-line and longer than 1024 characters as js-yaml writes them", async (t) => {
  for (const key of texts) t.equal(dumpYaml({ [key]: "v", n: { [key]: [1] } }), jsYaml({ [key]: "v", n: { [key]: [1] } }), JSON.stringify(key));
});

t.test("what is not plain data is js-yaml's to write, or to refuse", async (t) => {
  const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
  const sparse = [1, 2, 3];
  delete sparse[1]; // a hole
  const cases: unknown[] = [
    nullProto,
    { sparse },
    { list: [undefined, 1] },
    { a: undefined, b: 1 },
    { when: new Date(0) },
    { many: "a\nü\n", ok: 1 },
    { deep: [{ text: "x\ty\n" }] },
  ];
  for (const value of cases) t.equal(dumpYaml(value), jsYaml(value));
  t.throws(() => dumpYaml({ f: () => 1 }), /unacceptable kind/, "js-yaml's own error");
});

t.test("a cache shared across objects gives each the same text", async (t) => {
  const cache = new Map<unknown, string>();
  const objects = [
    { a: "yes", b: 1 },
    { a: "yes", c: [1, "1"] },
  ];
  for (const object of objects) t.equal(dumpYaml(object, cache), jsYaml(object));
  t.equal(cache.get("yes"), '"yes"');
});

t.test("every object the module renders, on each version family and option", async (t) => {
  const inputs: ValuesInput[] = [
    { chromadb: { apiVersion: "0.4.24" } },
    { chromadb: { apiVersion: "0.5.23", auth: { type: "basic" } } },
    { chromadb: { apiVersion: "0.6.3", auth: { enabled: false } } },
    { chromadb: { apiVersion: "1.5.9", logConfig: "version: 1\nroot:\n  level: INFO\n" } },
    { chromadb: { apiVersion: "1.5.9" }, extraEnv: [{ name: "A", value: "x\ny" }], podAnnotations: { note: "line\n  two\n" } },
  ];
  let objects = 0;
  for (const input of inputs) {
    for (const object of render(values(input), { name: "vectors", namespace: "search" }).objects) {
      t.equal(dumpYaml(object), jsYaml(object), `${input.chromadb?.apiVersion} ${object.kind}`);
      objects++;
    }
  }
  t.ok(objects >= 20, `${objects} objects compared`);
});
