/** Where chroma-mod keeps what it builds and downloads between runs (never inside a project). */
import { homedir } from "node:os";
import { join } from "node:path";

/** The default cache root: $CHROMA_MOD_CACHE, else ~/.cache/chroma-mod. */
export function defaultCacheDir(): string {
  const env = process.env["CHROMA_MOD_CACHE"];
  return env !== undefined && env !== "" ? env : join(homedir(), ".cache", "chroma-mod");
}
