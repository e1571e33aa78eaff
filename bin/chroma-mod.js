#!/usr/bin/env node
// Node entry point. The TypeScript CLI is bundled by esbuild into dist/<stamp>/ (stamp: the newest source mtime),
// so each run starts without transpiling and a source change rebuilds it; commands load the Kubernetes client as
// a separate chunk only when they need it. Builds go to a temp dir renamed into place, so concurrent runs never
// see half a bundle. Where dist/ is not writable, the sources run through tsx. Deno runs cli/main.ts directly.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, "dist");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "go") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

async function bundle(target) {
  const esbuild = await import("esbuild");
  const temp = `${target}.tmp-${process.pid}`;
  await esbuild.build({
    entryPoints: { cli: join(root, "cli", "main.ts") },
    outdir: temp,
    outExtension: { ".js": ".mjs" },
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    sourcesContent: false,
    logLevel: "warning",
  });
  try {
    renameSync(temp, target);
  } catch {
    rmSync(temp, { recursive: true, force: true }); // another run built the same stamp first
  }
}

let entry;
try {
  const stamp = String(Math.floor(Math.max(statSync(join(root, "package.json")).mtimeMs, ...["cli", "engine", "module", "schemas"].map((d) => newestSource(join(root, d))))));
  const target = join(dist, stamp);
  if (!existsSync(join(target, "cli.mjs"))) {
    mkdirSync(dist, { recursive: true });
    await bundle(target);
  }
  entry = join(target, "cli.mjs");
} catch {
  const { register } = await import("tsx/esm/api");
  register();
  entry = join(root, "cli", "main.ts");
}
await import(pathToFileURL(entry).href);
