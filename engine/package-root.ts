/** The chroma-mod package root, found from a module URL whether it runs from source or from the dist/ bundle. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "chroma-mod") return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`chroma-mod's package.json not found above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

/**
 * A file the running code reads or compiles: `source` (a path from the package root) where the sources are
 * (a git checkout, Deno), else `built`, its build from dist/ (the installed package ships no TypeScript sources).
 */
export function packageFile(source: string, built: string, from: string = import.meta.url): string {
  const root = packageRoot(from);
  const file = join(root, source);
  return existsSync(file) ? file : join(root, built);
}
