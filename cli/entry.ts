/** What `import … from "chroma-mod"` in a bundle loads: mod.ts, or its build in the installed package. */
import { packageFile } from "../engine/package-root.ts";

export const packageEntry = packageFile("mod.ts", "dist/mod.js", import.meta.url);

/** The import aliases a bundle is compiled with. */
export const bundleAliases: Readonly<Record<string, string>> = { "chroma-mod": packageEntry };

/** The commands whose first file argument is a bundle (init writes one: never run). */
export const bundleCommands: ReadonlySet<string> = new Set(["vet", "build", "values", "diff", "apply", "status", "delete"]);
