/**
 * The layers (docs/architecture.md): imports run one way. core ← schemas ← module; core ← engine; everything ←
 * cli; `module` and `engine` never import each other; nothing but tests imports test/. Every import of every source
 * file is read with TypeScript's own pre-processor (static, type-only, re-exports and dynamic `import()`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import ts from "typescript";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Which layers each layer may import (its own always). `package.json` (name, version) is open to all. */
const allowed: Record<string, readonly string[]> = {
  core: [],
  schemas: ["core"],
  module: ["core", "schemas"],
  engine: ["core"],
  localcluster: ["core", "engine"],
  cli: ["core", "schemas", "module", "engine", "localcluster"],
  "mod.ts": ["core", "schemas"],
  scripts: ["core", "schemas", "module", "engine", "localcluster", "cli"],
  bench: ["core", "schemas", "module", "engine", "localcluster", "cli"],
  bin: ["cli", "scripts"], // scripts/build.mjs: a checkout bundles its own CLI
  test: ["*"],
};

const skip = new Set(["node_modules", "dist", ".tap", ".git", "go", "tap-snapshots", "coverage"]);

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (skip.has(name)) return [];
    if (statSync(join(root, path)).isDirectory()) return sources(path);
    return /\.(ts|mts|mjs|js)$/.test(name) ? [path] : [];
  });
}

const layerOf = (path: string) => (path.includes("/") ? path.slice(0, path.indexOf("/")) : path);

export interface Edge {
  readonly from: string;
  readonly to: string;
}

function edgesOf(file: string): Edge[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
  return importedFiles
    .map((i) => i.fileName)
    .filter((spec) => spec.startsWith("."))
    .map((spec) => ({ from: file, to: relative(root, resolve(root, dirname(file), spec)) }));
}

/** The edges against the rules, as `from → to (why)`. */
function violations(edges: readonly Edge[]): string[] {
  return edges.flatMap(({ from, to }) => {
    const a = layerOf(from);
    const b = layerOf(to);
    if (a === b || to === "package.json") return [];
    const may = allowed[a];
    if (!may) return [`${from} → ${to} (${a}/ is no known layer: add it to the rules here and in docs/architecture.md)`];
    if (may.includes("*") || may.includes(b)) return [];
    return [`${from} → ${to} (${a} may import ${may.length ? may.join(", ") : "nothing of the project"})`];
  });
}

const files = [
  ...["core", "schemas", "module", "engine", "localcluster", "cli", "scripts", "bench", "bin", "test"].flatMap((d) =>
    statSync(join(root, d), { throwIfNoEntry: false })?.isDirectory() ? sources(d) : [],
  ),
  "mod.ts",
];
const edges = files.flatMap(edgesOf);

t.test("every import follows the layers", async (t) => {
  t.ok(edges.length > 100, `the walk found the project's imports (${edges.length} edges in ${files.length} files)`);
  t.same(violations(edges), [], "no import against the layers");
  const dynamic = edges.find((e) => e.from === "cli/cluster.ts" && e.to.startsWith("engine/kube/"));
  t.ok(dynamic, "dynamic import() edges are read too");
});

t.test("the rules refuse each forbidden direction", async (t) => {
  const forbidden: Edge[] = [
    { from: "module/render.ts", to: "engine/apply/engine.ts" },
    { from: "engine/evaluate.ts", to: "module/index.ts" },
    { from: "engine/evaluate.ts", to: "schemas/values.ts" },
    { from: "schemas/values.ts", to: "module/gates.ts" },
    { from: "core/types.ts", to: "schemas/values.ts" },
    { from: "cli/app.ts", to: "test/chroma/harness.ts" },
    { from: "scripts/docs.ts", to: "test/chroma/suite.ts" },
    { from: "mod.ts", to: "engine/loader.ts" },
    { from: "newdir/x.ts", to: "core/types.ts" },
  ];
  for (const edge of forbidden) t.equal(violations([edge]).length, 1, `${edge.from} → ${edge.to} is refused`);
  t.same(
    violations([
      { from: "cli/app.ts", to: "module/index.ts" },
      { from: "module/index.ts", to: "package.json" },
      { from: "test/x.ts", to: "cli/app.ts" },
    ]),
    [],
    "allowed directions pass",
  );
});
