#!/usr/bin/env node
// Node entry point. The TypeScript CLI is bundled once by esbuild into dist/cli.mjs (rebuilt when a source file is
// newer), so each run starts without transpiling; where dist/ is not writable it runs the sources through tsx.
// Deno runs cli/main.ts directly.
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(root, "dist", "cli.mjs");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "go") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts") || entry.name === "package.json") newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function isFresh() {
  try {
    const built = statSync(out).mtimeMs;
    return ["cli", "engine", "module", "schemas"].every((dir) => newestSource(join(root, dir)) <= built) && statSync(join(root, "package.json")).mtimeMs <= built;
  } catch {
    return false;
  }
}

async function bundle() {
  const esbuild = await import("esbuild");
  mkdirSync(dirname(out), { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, "cli", "main.ts")],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: "inline",
    sourcesContent: false,
    logLevel: "warning",
  });
}

let entry = out;
if (!isFresh()) {
  try {
    await bundle();
  } catch {
    const { register } = await import("tsx/esm/api");
    register();
    entry = join(root, "cli", "main.ts");
  }
}
await import(pathToFileURL(entry).href);
