#!/usr/bin/env node
// Node entry point. The installed package runs the CLI built at prepack (dist/cli/main.js, see scripts/build.mjs):
// nothing is transpiled, scanned or written at start, and tsx is not needed.
// In a git checkout (the sources are here, cli/main.ts among them) the CLI is bundled the same way into
// dist/dev/<stamp>/, the stamp being the newest mtime of the checkout's TypeScript sources and package.json, so a
// source change rebuilds it; built in a temp dir and renamed into place, so concurrent runs never see half a
// bundle; builds of older sources go an hour after they were made. Where that cannot be written, the sources run
// through tsx (a dev dependency, so there in a checkout).
// Deno runs cli/main.ts directly.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const sources = join(root, "cli", "main.ts");

/** Newest mtime of the .ts files under dir; tests, builds, dependencies and dot-directories are not the CLI's sources. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".") || ["node_modules", "dist", "test", "tap-snapshots", "coverage", "go"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds of earlier sources, once no run can still be using them (an hour after they were made). */
function removeOldBuilds(dir, keep) {
  for (const name of readdirSync(dir)) {
    if (name === keep) continue;
    const path = join(dir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed meanwhile by another run
    }
  }
}

async function checkoutEntry() {
  try {
    const stamp = String(Math.floor(Math.max(statSync(join(root, "package.json")).mtimeMs, newestSource(root))));
    const target = join(root, "dist", "dev", stamp);
    if (!existsSync(join(target, "main.js"))) {
      mkdirSync(dirname(target), { recursive: true });
      const temp = `${target}.tmp-${process.pid}`;
      const { buildCli } = await import("../scripts/build.mjs");
      await buildCli(temp, { dev: true });
      try {
        renameSync(temp, target);
      } catch {
        rmSync(temp, { recursive: true, force: true }); // another run built the same stamp first
      }
      removeOldBuilds(dirname(target), stamp);
    }
    return join(target, "main.js");
  } catch {
    const { register } = await import("tsx/esm/api");
    register();
    return sources;
  }
}

const entry = existsSync(sources) ? await checkoutEntry() : join(root, "dist", "cli", "main.js");
await import(pathToFileURL(entry).href);
