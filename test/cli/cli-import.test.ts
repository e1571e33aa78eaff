/**
 * `chroma-mod import helm` in-process: the three chart versions' values and a file with every key set become a
 * bundle that vets and renders the release's names; bad input gets one paragraph and exit 1.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { chartDir } from "../fixtures/charts.ts";
import { cli, root } from "../fixtures/cli.ts";

const dir = () => mkdtempSync(join(tmpdir(), "chroma-mod-import-"));

/** The bundle file evaluated as `build` does (the file imports "chroma-mod": the CLI's loader resolves it). */
async function rendered(file: string) {
  const { loadInstances } = await import("../../cli/app.ts");
  return loadInstances(file, { cwd: root, stderr: () => {} });
}

t.test("the three charts' values: a bundle that vets, with the names the chart gave the release", async (t) => {
  for (const [version, args] of [
    ["0.2.2", ["--chroma-version", "1.5.3"]],
    ["0.1.23", ["--chroma-version", "0.6.3"]],
    ["0.1.20", []],
  ] as const) {
    const cwd = dir();
    const run = await cli(["import", "helm", join(chartDir(version), "values.yaml"), "--release", "prod", "--namespace", "search", ...args], { cwd });
    t.equal(run.code, 0, `chart ${version}: exit 0`, { stderr: run.stderr });
    t.match(run.stdout, /^wrote prod\.config\.ts\nprod\.config\.ts: valid\. prod \(namespace search, Chroma /, `chart ${version}: written and vetted`);
    const cors =
      "not carried over: chromadb.corsAllowOrigins: any origin (`*`, the chart's default then) is not carried over: chroma-mod allows no origin unless listed; list your web apps' origins\n";
    t.equal(
      run.stderr,
      version === "0.2.2"
        ? "note: the chart never enforced chromadb.auth on Chroma 1.x, so the release runs open; chroma-mod enforces it with its auth proxy: clients need the token apply generates (Secret <instance>-auth), or set chromadb.auth.enabled: false to keep the instance open.\n"
        : `${cors}note: chromadb.auth.existingSecret is set to the chart's token Secret chromadb-auth, so the release's clients keep their token.\n`,
      `chart ${version}: what was lost or behaves differently, said`,
    );
    const text = readFileSync(join(cwd, "prod.config.ts"), "utf8");
    t.match(text, "the data claim stays data-prod-chromadb-0");
    t.match(
      text,
      version === "0.2.2" ? "// Note: the chart never enforced chromadb.auth on Chroma 1.x" : 'existingSecret: "chromadb-auth"',
      `chart ${version}: auth as the release's clients meet it`,
    );
    const [instance] = await rendered(join(cwd, "prod.config.ts"));
    const sts = instance!.objects.find((o) => o.kind === "StatefulSet") as unknown as {
      metadata: { name: string };
      spec: { selector: { matchLabels: object } };
    };
    t.equal(sts.metadata.name, "prod-chromadb", `chart ${version}: the chart's StatefulSet name`);
    t.same(
      sts.spec.selector.matchLabels,
      { "app.kubernetes.io/name": "chromadb", "app.kubernetes.io/instance": "prod" },
      `chart ${version}: the chart's selector`,
    );
  }
});

t.test("every key set: mapped, or named with the reason on stderr and in the file; credentials never written", async (t) => {
  const cwd = dir();
  mkdirSync(join(cwd, "out"));
  const run = await cli(["import", "helm", join(root, "test/fixtures/helm/every-key.values.yaml"), "--release", "chromadb-prod", "-o", "out/prod.config.ts"], {
    cwd,
  });
  t.equal(run.code, 0, { stderr: run.stderr });
  t.match(run.stdout, "out/prod.config.ts: valid. chromadb-prod (namespace default, Chroma 1.5.9)");
  t.match(run.stderr, "not carried over: chromadb.auth.token.value: a credential in the values would end up in the bundle file");
  t.match(run.stderr, "not carried over: autoscaling: Chroma is a single-node server");
  const text = readFileSync(join(cwd, "out/prod.config.ts"), "utf8");
  t.notMatch(text, /hunter2|s3cr3t-token/, "no credential in the bundle");
  t.match(text, "//   commonLabels → labels");
  t.match(text, '"app.example.com/tier": "db"', "keys that are not identifiers are quoted");
  t.match(text, 'fullnameOverride: "search-vectors"', "the chart's fullnameOverride is the names' base");
});

t.test("a release named like the chart keeps its name; nameOverride builds the chart's fullname", async (t) => {
  const cwd = dir();
  writeFileSync(join(cwd, "values.yaml"), "chromadb:\n  apiVersion: 0.6.3\n");
  const plain = await cli(["import", "helm", "values.yaml", "--release", "my-chromadb"], { cwd });
  t.equal(plain.code, 0, { stderr: plain.stderr });
  t.notMatch(readFileSync(join(cwd, "my-chromadb.config.ts"), "utf8"), "fullnameOverride", "the chart named the objects after the release");
  writeFileSync(join(cwd, "values.yaml"), "nameOverride: vectors\nimage:\n  tag: 1.5.9\n");
  const named = await cli(["import", "helm", "values.yaml", "--release", "prod"], { cwd });
  t.equal(named.code, 0, { stderr: named.stderr });
  t.match(readFileSync(join(cwd, "prod.config.ts"), "utf8"), 'fullnameOverride: "prod-vectors"');
});

t.test("bad input: one paragraph, exit 1, nothing written", async (t) => {
  const cwd = dir();
  writeFileSync(join(cwd, "no-version.yaml"), "replicaCount: 1\n");
  writeFileSync(join(cwd, "broken.yaml"), "a: [\n");
  writeFileSync(join(cwd, "list.yaml"), "- a\n");
  writeFileSync(join(cwd, "empty.yaml"), "");
  writeFileSync(join(cwd, "exists.config.ts"), "");
  writeFileSync(join(cwd, "v.yaml"), "chromadb:\n  apiVersion: 1.5.9\n");
  mkdirSync(join(cwd, "sub"));
  const cases: Array<[string[], RegExp]> = [
    [["import"], /^error: import: unknown source ""\.\nhint: Usage: chroma-mod import helm/],
    [["import", "kustomize", "x"], /^error: import: unknown source "kustomize"/],
    [["import", "helm"], /^error: import: missing the chart values file\./],
    [["import", "helm", "missing.yaml"], /^error: import: cannot read missing\.yaml: ENOENT/],
    [["import", "helm", "broken.yaml"], /^error: import: broken\.yaml is not YAML: /],
    [["import", "helm", "list.yaml"], /^error: import: list\.yaml is not a values file \(a YAML mapping\)\./],
    [["import", "helm", "empty.yaml"], /^error: import: empty\.yaml does not say which Chroma version/],
    [["import", "helm", "no-version.yaml"], /does not say which Chroma version the release runs[\s\S]*hint: Pass --chroma-version/],
    [["import", "helm", "no-version.yaml", "--chroma-version", "1.0.1"], /^error: import: Chroma 1\.0\.1 is not a release chroma-mod supports\./],
    [["import", "helm", "v.yaml", "-o", "exists.config.ts"], /^error: exists\.config\.ts already exists; not overwriting it\./],
    [["import", "helm", "v.yaml", "-o", "sub", "--force"], /^error: import: could not write sub: EISDIR/],
  ];
  for (const [args, message] of cases) {
    const run = await cli(args, { cwd });
    t.equal(run.code, 1, args.join(" "));
    t.match(run.stderr, message, args.join(" "));
    t.notMatch(run.stderr, / {4}at /, "no stack trace");
  }
  const force = await cli(["import", "helm", "v.yaml", "-o", "exists.config.ts", "--force"], { cwd });
  t.equal(force.code, 0, "--force replaces the file", { stderr: force.stderr });
});
