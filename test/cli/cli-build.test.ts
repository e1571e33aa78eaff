/**
 * `chroma-mod build` in-process (see test/cli/cli-help.test.ts): YAML and JSON, byte-stable, generated Secrets,
 * --instance, and --output-dir (one file per object, safe names, Secrets 0600, stale files removed, symlinks
 * replaced, unwritable places as user errors).
 */
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { parseAllDocuments } from "yaml";
import { UserError } from "../../engine/errors.ts";
import { manifestName, writeOutputDir } from "../../engine/output-dir.ts";
import { fileNameFor } from "../../engine/serialize.ts";
import { cli, examples } from "../fixtures/cli.ts";

t.test("build: YAML, JSON, byte-stable, one file per object", async (t) => {
  for (const file of examples) {
    const first = await cli(["build", file]);
    t.equal(first.code, 0);
    t.equal((await cli(["build", file])).stdout, first.stdout, `${file}: byte-stable`);
    const docs = parseAllDocuments(first.stdout).map((d) => d.toJS());
    t.ok(
      docs.every((d) => d.apiVersion && d.kind && d.metadata.name),
      "every document is an object",
    );
    t.notMatch(first.stdout, /&a\d|\*a\d/, "no YAML anchors (kubectl and GitOps tools read plain YAML)");
    t.notMatch(first.stdout, /kind: Secret/, "no invented credentials");
    const json = JSON.parse((await cli(["build", file, "-o", "json"])).stdout);
    t.equal(json.kind, "List");
    t.same(json.items, docs, "JSON and YAML carry the same objects");
  }
  const dev = await cli(["build", "bundles/dev.config.ts"]);
  t.match(dev.stderr, "note: Secret chroma-dev/dev-auth is not in the output");
  const kinds = parseAllDocuments(dev.stdout).map((d) => d.toJS().kind);
  t.same(
    kinds,
    ["Namespace", "ConfigMap", "ServiceAccount", "NetworkPolicy", "StatefulSet", "Service"],
    "apply order: namespace (createNamespace), config, workloads, the rest",
  );
  const withSecrets = await cli(["build", "bundles/dev.config.ts", "--generate-secrets"]);
  t.match(withSecrets.stderr, "warning: the output contains newly generated credentials");
  const secret = parseAllDocuments(withSecrets.stdout)
    .map((d) => d.toJS())
    .find((d) => d.kind === "Secret");
  t.match(Buffer.from(secret.data.token, "base64").toString(), /^[A-Za-z0-9]{32}$/);
  const multi = parseAllDocuments((await cli(["build", "bundles/multi.config.ts", "--instance", "legacy", "--generate-secrets"])).stdout).map((d) => d.toJS());
  t.ok(
    multi.every((d) => d.metadata.name.startsWith("legacy")),
    "--instance selects",
  );
  const basic = multi.find((d) => d.kind === "Secret");
  const decoded = Object.fromEntries(Object.entries(basic.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]));
  t.equal(decoded.username, "reader");
  t.match(decoded.htpasswd, /^reader:\$2[aby]\$10\$/);

  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  const out = await cli(["build", "bundles/multi.config.ts", "--output-dir", dir]);
  t.equal(out.code, 0);
  const files = readdirSync(dir)
    .filter((name) => name !== manifestName)
    .sort();
  t.ok(files.includes("team-docs.statefulset.docs.yaml"));
  t.equal(files.length, parseAllDocuments((await cli(["build", "bundles/multi.config.ts"])).stdout).length);
  t.match(readFileSync(join(dir, "team-docs.statefulset.docs.yaml"), "utf8"), /^---\napiVersion: apps\/v1\nkind: StatefulSet\n/);
  const jsonDir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  await cli(["build", "bundles/dev.config.ts", "--output-dir", jsonDir, "-o", "json"]);
  t.same(readdirSync(jsonDir).sort(), [
    ".chroma-mod-files",
    "_cluster.namespace.chroma-dev.json",
    "chroma-dev.configmap.dev-config.json",
    "chroma-dev.networkpolicy.dev.json",
    "chroma-dev.service.dev.json",
    "chroma-dev.serviceaccount.dev.json",
    "chroma-dev.statefulset.dev.json",
  ]);
});

t.test("build --output-dir: safe names, Secrets 0600, no stale files", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  const out = join(dir, "manifests");
  writeFileSync(join(dir, "keep.yaml"), "not ours\n");
  const first = await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "--generate-secrets"]);
  t.equal(first.code, 0, first.stderr);
  const secret = readdirSync(out).find((name) => name.includes(".secret."))!;
  t.equal(statSync(join(out, secret)).mode & 0o777, 0o600, "the credentials file is private");
  t.equal(statSync(join(out, "chroma-dev.service.dev.yaml")).mode & 0o077, statSync(join(dir, "keep.yaml")).mode & 0o077, "other files as the umask says");
  t.match(readFileSync(join(out, manifestName), "utf8"), secret);
  writeFileSync(join(out, "mine.yaml"), "a file of the user's\n");
  const second = await cli(["build", "bundles/dev.config.ts", "--output-dir", out]);
  t.equal(second.code, 0);
  t.notOk(readdirSync(out).includes(secret), "an object that left the output is removed");
  t.ok(readdirSync(out).includes("mine.yaml"), "files chroma-mod did not write are left alone");
  t.match(second.stderr, `removed 1 it wrote before that the bundle no longer renders: ${secret}`);
  const multi = join(dir, "multi");
  t.equal((await cli(["build", "bundles/multi.config.ts", "--output-dir", multi])).code, 0);
  const all = readdirSync(multi);
  const legacy = await cli(["build", "bundles/multi.config.ts", "--output-dir", multi, "--instance", "legacy", "--set", "legacy.serviceAccount.create=false"]);
  t.match(legacy.stderr, /removed 1 it wrote before that the bundle no longer renders: [a-z-]+\.serviceaccount\.legacy\.yaml\n/);
  t.same(
    readdirSync(multi),
    all.filter((name) => !/serviceaccount\.legacy\./.test(name)),
    "--instance removes only the selected instance's stale files",
  );
  t.match(readFileSync(join(multi, manifestName), "utf8"), /\.statefulset\.docs\.yaml\tdocs\n/, "the others stay listed");
  const json = await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "-o", "json"]);
  t.equal(json.code, 0);
  t.same(
    readdirSync(out).filter((name) => name.endsWith(".yaml")),
    ["mine.yaml"],
    "switching to JSON removes the YAML files",
  );
  // A symlink where a file goes is replaced, never written through.
  const target = join(dir, "target.txt");
  writeFileSync(target, "outside\n");
  rmSync(join(out, "chroma-dev.service.dev.json"));
  symlinkSync(target, join(out, "chroma-dev.service.dev.json"));
  t.equal((await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "-o", "json"])).code, 0);
  t.equal(readFileSync(target, "utf8"), "outside\n");
  t.notOk(lstatSync(join(out, "chroma-dev.service.dev.json")).isSymbolicLink());
  rmSync(join(out, "chroma-dev.configmap.dev-config.json"));
  symlinkSync(join(dir, "nowhere"), join(out, "chroma-dev.configmap.dev-config.json"));
  t.equal((await cli(["build", "bundles/dev.config.ts", "--output-dir", out, "-o", "json"])).code, 0, "a dangling symlink too");
  t.notOk(existsSync(join(dir, "nowhere")));
});

t.test("output files: names are never paths, unwritable dirs are user errors", async (t) => {
  const object = (name: string, kind = "ConfigMap") => ({ apiVersion: "v1", kind, metadata: { name, namespace: "n" } });
  t.equal(fileNameFor(object("../../../../x")), "n.configmap._._.._.._.._x.yaml", "no slash, no leading dot");
  t.equal(fileNameFor(object("..")), "n.configmap._..yaml");
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-out-"));
  const file = (name: string) => ({ name, content: "x\n", secret: false, owner: "" });
  t.throws(() => writeOutputDir(dir, "d", [file("a.yaml"), file("a.yaml")]), {
    message: /cannot write two objects, or an object named "a\.yaml", as one file/,
  });
  t.throws(() => writeOutputDir(dir, "d", [file("../a.yaml")]), { message: /an object named "\.\.\/a\.yaml"/ });
  writeFileSync(join(dir, manifestName), "# comment\n../../etc/passwd\nold.yaml\n");
  t.same(writeOutputDir(dir, "d", [file("a.yaml")]).removed, [], "manifest lines that are not bare names are ignored, missing files too");
  const notDir = t.throws(() => writeOutputDir(join(dir, "a.yaml", "x"), "x", [file("b.yaml")])) as unknown as UserError;
  t.type(notDir, UserError);
  t.match(notDir.message, /^--output-dir x: could not write .*: ENOTDIR: not a directory/);
});
