/** Namespaces and identity belong to the bundle: rendered once, named after the file unless named. */
import t from "tap";
import { bundleNameFromFile } from "../../engine/bundle-name.ts";
import { UserError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { bundleNamespaces, namespaceObject } from "../../engine/namespaces.ts";
import { chromaModule } from "../../module/index.ts";

t.test("bundle names: the name given, or the file name without .config.ts as a DNS label", async (t) => {
  t.equal(bundleNameFromFile("bundles/prod.config.ts"), "prod");
  t.equal(bundleNameFromFile("/x/My Bundle_EU.config.mjs"), "my-bundle-eu");
  t.equal(bundleNameFromFile("plain.ts"), "plain");
  t.equal(bundleNameFromFile(`${"a".repeat(70)}.config.ts`), "a".repeat(63));
  const err = t.throws(() => bundleNameFromFile("dir/__.config.ts")) as unknown as UserError;
  t.type(err, UserError);
  t.match(err.message, 'dir/__.config.ts: cannot name the bundle after its file (no letter or digit in "__")');
  t.match(err.hint, 'defineBundle({ name: "my-bundle"');
  const [named] = evaluate(chromaModule, { name: "team-a", instances: { a: {} } }, { file: "x.config.ts" });
  t.equal(named!.bundle, "team-a");
  const [unnamed] = evaluate(chromaModule, { instances: { a: {} } }, { file: "bundles/dev.config.ts" });
  t.equal(unnamed!.bundle, "dev");
});

t.test("a namespace several instances share is created once, for all of them, and never by an instance", async (t) => {
  const instances = evaluate(
    chromaModule,
    { instances: { a: { namespace: "x", createNamespace: true }, b: { namespace: "x", createNamespace: true }, c: { namespace: "x" }, d: { namespace: "y" } } },
    { file: "b.config.ts" },
  );
  t.same(
    instances.map((i) => [i.name, i.createNamespace]),
    [
      ["a", true],
      ["b", true],
      ["c", true],
      ["d", false],
    ],
    "c lives in a namespace the bundle creates",
  );
  t.ok(
    instances.every((i) => i.objects.every((o) => o.kind !== "Namespace")),
    "no instance renders a Namespace",
  );
  t.same(bundleNamespaces(instances), [namespaceObject("x")]);
  t.same(namespaceObject("x").metadata.annotations, { "chroma-mod.io/keep": "true" }, "never pruned or deleted");
  t.same(
    bundleNamespaces([
      { namespace: "b", createNamespace: true },
      { namespace: "a", createNamespace: true },
    ]).map((n) => n.metadata.name),
    ["a", "b"],
    "sorted",
  );
});
