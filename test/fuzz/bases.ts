/**
 * The bundles fuzzing starts from: the example bundles, loaded as the CLI loads them (engine/loader.ts, with
 * "chroma-mod" → this checkout's mod.ts: importing them with Node would resolve the package's own name to its
 * build, dist/mod.js, which a fresh clone does not have), then the rich bundle of every value.
 */
import { join } from "node:path";
import { packageEntry } from "../../cli/app.ts";
import { loadBundleFile } from "../../engine/loader.ts";
import { root } from "../fixtures/cli.ts";
import { richBundle } from "./rich-bundle.ts";

export async function fuzzBases(): Promise<readonly unknown[]> {
  const examples = await Promise.all(
    ["dev", "prod", "multi"].map((name) => loadBundleFile(join(root, "bundles", `${name}.config.ts`), { aliases: { "chroma-mod": packageEntry }, cwd: root })),
  );
  return [...examples, richBundle];
}
