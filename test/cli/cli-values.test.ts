/**
 * `chroma-mod values`, `schema` and `init` in-process (see test/cli/cli-help.test.ts): --set overrides as values
 * shows them, the JSON Schemas, and init's scaffold (which vets and builds), --force, and unwritable places.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { cli } from "../fixtures/cli.ts";

t.test("--set overrides", async (t) => {
  const run = await cli([
    "build",
    "bundles/dev.config.ts",
    "--set",
    "dev.chromadb.apiVersion=0.5.23",
    "--set",
    "dev.chromadb.corsAllowOrigins=[https://a.example]",
    "--set",
    "dev.newtop.x=1",
  ]);
  t.equal(run.code, 1, "an unknown key set by --set is reported like any other");
  t.match(run.stderr, "dev.values.newtop: unknown key");
  const ok = await cli([
    "values",
    "bundles/dev.config.ts",
    "-o",
    "json",
    "--set",
    "dev.chromadb.apiVersion=0.5.23",
    "--set",
    "dev.chromadb.corsAllowOrigins=[https://a.example]",
    "--set",
    "dev.service.annotations.x=[unclosed",
  ]);
  const values = JSON.parse(ok.stdout).dev.values;
  t.equal(values.chromadb.apiVersion, "0.5.23");
  t.same(values.chromadb.corsAllowOrigins, ["https://a.example"]);
  t.same(values.service.annotations, { x: "[unclosed" }, "a value YAML cannot parse is kept as a string");
});

t.test("values and schema", async (t) => {
  const yaml = await cli(["values", "bundles/prod.config.ts"]);
  t.equal(yaml.code, 0);
  t.match(yaml.stdout, /^vectors:\n {2}namespace: search\n {2}values:\n {4}chromadb:\n {6}apiVersion: 1\.5\.9\n/);
  t.match(yaml.stdout, "allowReset: false", "defaults included");
  const schema = JSON.parse((await cli(["schema"])).stdout);
  t.equal(schema.$schema, "http://json-schema.org/draft-07/schema#");
  t.equal(schema.properties.chromadb.properties.auth.properties.type.default, "token");
  t.equal(schema.additionalProperties, false);
  const bundle = JSON.parse((await cli(["schema", "--bundle"])).stdout);
  t.ok(bundle.properties.instances);
});

t.test("init scaffolds a bundle that vets and builds", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-init-"));
  const run = await cli(["init", dir]);
  t.equal(run.code, 0);
  const file = join(dir, "chroma.config.ts");
  t.match(readFileSync(file, "utf8"), /import \{ defineBundle \} from "chroma-mod";/);
  t.equal((await cli(["vet", file])).code, 0);
  t.equal((await cli(["build", file])).code, 0);
  const again = await cli(["init", dir]);
  t.equal(again.code, 1);
  t.match(again.stderr, "already exists; not overwriting it.");
  writeFileSync(file, "changed");
  t.equal((await cli(["init", dir, "--force"])).code, 0);
  t.match(readFileSync(file, "utf8"), /defineBundle/);
  const here = mkdtempSync(join(tmpdir(), "chroma-mod-init-"));
  t.match((await cli(["init"], { cwd: here })).stdout, "wrote chroma.config.ts\n");
  const named = await cli(["init", "deploy/prod.config.ts"], { cwd: here });
  t.match(named.stdout, "wrote deploy/prod.config.ts\n", "a .ts path names the file");
  t.equal((await cli(["vet", "deploy/prod.config.ts"], { cwd: here })).code, 0);
  mkdirSync(join(here, "odd.ts"));
  t.match((await cli(["init", "odd.ts"], { cwd: here })).stdout, "wrote odd.ts/chroma.config.ts\n", "a directory named .ts is a directory");
});

t.test("init: unwritable places are user errors", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-init-"));
  writeFileSync(join(dir, "file"), "x");
  const under = await cli(["init", join(dir, "file", "sub")]);
  t.equal(under.code, 1);
  t.match(under.stderr, /^error: init: could not write .*chroma\.config\.ts: ENOTDIR/);
});
