/**
 * No internal error on any input: thousands of mutated bundles (test/fuzz/generate.ts) through `vet` and `build`,
 * in-process. Each must exit 0 or 1, print no stack trace and no internal error, finish quickly, and `vet` must
 * accept exactly what `build` renders; what is rendered holds no number in exponent form. A sample also goes
 * through the CLI's `main()` from a bundle file, loader included.
 * FUZZ_SEED=random (or a number) picks the seed, FUZZ_COUNT the number of bundles (default 2000).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { sortForApply } from "../../engine/apply/order.ts";
import { UserError } from "../../engine/errors.ts";
import { evaluate } from "../../engine/evaluate.ts";
import { toJsonList, toYaml } from "../../engine/serialize.ts";
import type { KubeObject } from "../../core/types.ts";
import { chromaModule } from "../../module/index.ts";
import { cli } from "../fixtures/cli.ts";
import { fuzzBases } from "./bases.ts";
import { fuzzCase, fuzzSeed, type FuzzCase } from "./generate.ts";

const bases = await fuzzBases();

const seed = fuzzSeed();
const count = Number(process.env.FUZZ_COUNT ?? 2000);
/** One case in `cliEvery` also runs through `main()` from a file. */
const cliEvery = 100;

interface Outcome {
  readonly code: number;
  readonly output: string;
  readonly objects?: KubeObject[];
}

/** What `vet` and `build` do after loading, with `main()`'s error handling (cli/cli.ts). */
function run(bundle: unknown, command: "vet" | "build"): Outcome {
  try {
    const instances = evaluate(chromaModule, bundle, { file: "fuzz.config.ts" });
    if (command === "vet") return { code: 0, output: `valid. ${instances.length} instances` };
    const objects = sortForApply(instances.flatMap((instance) => instance.objects));
    return { code: 0, output: toYaml(objects) + toJsonList(objects), objects };
  } catch (error) {
    if (error instanceof UserError) return { code: error.exitCode, output: `error: ${error.message}\nhint: ${error.hint}\n` };
    return { code: 70, output: `internal error: ${(error as Error).stack ?? String(error)}` };
  }
}

/** Numbers that would be printed in exponent form (`1e+30`), which no API server field accepts as written. */
function exponentNumbers(value: unknown, path = ""): string[] {
  if (typeof value === "number") return /e/i.test(String(value)) ? [`${path}=${value}`] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, child]) => exponentNumbers(child, `${path}.${key}`));
}

const describe = (c: FuzzCase) => `case ${c.index} (FUZZ_SEED=${seed}): ${c.ops.join("; ")}`;

t.test(`${count} mutated bundles through vet and build`, async (t) => {
  t.comment(`fuzz seed: ${seed} (replay with FUZZ_SEED=${seed})`);
  t.setTimeout(300_000);
  const started = Date.now();
  const failures: string[] = [];
  let accepted = 0;
  let slowest = 0;
  for (let index = 0; index < count; index++) {
    const c = fuzzCase(seed, index, bases);
    const t0 = performance.now();
    const vet = run(c.bundle, "vet");
    const build = run(c.bundle, "build");
    slowest = Math.max(slowest, performance.now() - t0);
    const problems = [
      ...[vet, build].filter((o) => o.code !== 0 && o.code !== 1).map((o) => `exit ${o.code}: ${o.output.slice(0, 400)}`),
      ...[vet, build].filter((o) => /internal error|\n\s+at /.test(o.output)).map((o) => `stack or internal error: ${o.output.slice(0, 400)}`),
      ...(vet.code === build.code ? [] : [`vet exit ${vet.code} but build exit ${build.code}`]),
      ...exponentNumbers(build.objects).map((at) => `exponent form at ${at}`),
    ];
    if (vet.code === 0) accepted++;
    if (problems.length > 0) failures.push(`${describe(c)}\n  ${problems.join("\n  ")}`);
  }
  t.comment(`${count} bundles, ${accepted} accepted by vet, in ${((Date.now() - started) / 1000).toFixed(1)} s (slowest ${slowest.toFixed(0)} ms)`);
  t.same(failures.slice(0, 10), [], `no internal error, no stack trace, vet ok ⇔ build ok (${failures.length} failing)`);
  t.ok(accepted > count / 10, `vet accepted ${accepted}: the mutations reach deep into valid bundles`);
  t.ok(accepted < count, "and refused the rest");
  t.ok(slowest < 5000, `no bundle took long (slowest ${slowest.toFixed(0)} ms)`);
});

t.test("a sample through main(), from bundle files", async (t) => {
  t.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), "chroma-mod-fuzz-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const failures: string[] = [];
  let ran = 0;
  for (let index = 0; index < count; index += cliEvery) {
    const c = fuzzCase(seed, index, bases);
    if (c.jsOnly) continue;
    ran++;
    const file = join(dir, `case-${index}.config.ts`);
    // JSON.parse keeps `__proto__` an own key, as the generator made it.
    writeFileSync(file, `export default JSON.parse(${JSON.stringify(JSON.stringify(c.bundle))});\n`);
    const vet = await cli(["vet", file]);
    const build = await cli(["build", file]);
    const problems = [
      ...[vet, build].filter((r) => r.code !== 0 && r.code !== 1).map((r) => `exit ${r.code}: ${r.stderr.slice(0, 400)}`),
      ...[vet, build].filter((r) => /internal error|\n\s+at /.test(r.stderr)).map((r) => `stack or internal error: ${r.stderr.slice(0, 400)}`),
      ...(vet.code === build.code ? [] : [`vet exit ${vet.code} but build exit ${build.code}`]),
      ...(vet.code === run(c.bundle, "vet").code ? [] : ["main() and the in-process run disagree"]),
    ];
    if (problems.length > 0) failures.push(`${describe(c)}\n  ${problems.join("\n  ")}`);
  }
  t.comment(`${ran} bundles through main()`);
  t.same(failures.slice(0, 10), [], `exit 0/1 only, no stack trace, vet ok ⇔ build ok (${failures.length} failing)`);
});
