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
