#!/usr/bin/env node
// Builds what the npm package ships (`npm run build`, and `prepack` before `npm pack`/`npm publish`):
//   dist/mod.js      the library, what `import … from "chroma-mod"` loads (mod.ts bundled);
//   dist/settle.js   the bundle loader's worker entry (engine/settle.ts bundled: engine/loader.ts compiles it beside
//                    a user's bundle; the installed package ships no .ts sources);
//   dist/cli/        the CLI (cli/main.ts bundled, code-split so the Kubernetes client loads only for the commands
//                    that talk to a cluster); bin/chroma-mod.js runs dist/cli/main.js;
//   dist/types/      the .d.ts of mod.ts and what it imports (tsc -p tsconfig.build.json).
// esbuild writes the JavaScript (one file per entry plus shared chunks, so the CLI starts by reading a few files
// instead of ~90 modules), tsc only the declarations. npm dependencies stay imports (packages: "external").
// In a git checkout bin/chroma-mod.js also calls buildCli() for its own bundle under dist/dev/ (see there).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

const common = {
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  logLevel: "warning",
};

/** The CLI bundled into `outdir` (main.js + chunks). `dev`: inline source maps, for a checkout's stack traces. */
export async function buildCli(outdir, { dev = false } = {}) {
  const esbuild = await import("esbuild");
  await esbuild.build({
    ...common,
    entryPoints: { main: join(root, "cli", "main.ts") },
    outdir,
    splitting: true,
    chunkNames: "chunk-[hash]",
    ...(dev ? { sourcemap: "inline", sourcesContent: false } : {}),
  });
}

/** Relative `.ts` specifiers in emitted declarations become `.js` (tsc keeps them as written: TypeScript issue 61037). */
function rewriteDeclarationSpecifiers(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) rewriteDeclarationSpecifiers(path);
    else if (entry.name.endsWith(".d.ts")) {
      const text = readFileSync(path, "utf8");
      writeFileSync(path, text.replace(/(\bfrom\s*|\bimport\s*\(\s*)(["'])(\.\.?\/[^"']*)\.ts\2/g, "$1$2$3.js$2"));
    }
  }
}

export async function buildPackage() {
  const dist = join(root, "dist");
  // Only this build's outputs: dist/dev/ (a checkout's own CLI bundles) may be in use by a running CLI.
  for (const name of ["mod.js", "settle.js", "cli", "types"]) rmSync(join(dist, name), { recursive: true, force: true });
  const esbuild = await import("esbuild");
  // Each a single self-contained file: the loader bundles them into a user's bundle, so no chunk shared with the CLI.
  await esbuild.build({ ...common, entryPoints: { mod: join(root, "mod.ts"), settle: join(root, "engine", "settle.ts") }, outdir: dist });
  await buildCli(join(dist, "cli"));
  const tsc = spawnSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { cwd: root, encoding: "utf8" });
  if (tsc.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${tsc.stdout}${tsc.stderr}`);
  rewriteDeclarationSpecifiers(join(dist, "types"));
}

// Run as a script (not imported by bin/chroma-mod.js); import.meta.url is the real path, argv[1] maybe a symlink's.
if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await buildPackage();
