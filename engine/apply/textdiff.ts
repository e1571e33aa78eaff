/** Per-object unified diffs of YAML texts, made by the `diff` package (jsdiff): the standard unified format. */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";

/** Unified diff of two texts with `context` lines around changes; "" when equal. */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  if (before === after) return "";
  return createTwoFilesPatch(labels.before, labels.after, before, after, undefined, undefined, { context, headerOptions: FILE_HEADERS_ONLY });
}
