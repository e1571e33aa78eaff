/** Validation issues as data: a dotted path and a one-line message. */
import * as v from "valibot";

export interface ValueIssue {
  /** Dotted path from the bundle root, e.g. `vectors.values.chromadb.auth.type`. */
  readonly path: string;
  readonly message: string;
}

/** Edit distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest known key, if it is close enough to be a typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function knownKeysAt(schema: v.GenericSchema, keys: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const key of keys) {
    current = unwrap(current);
    const node = current as { entries?: Record<string, unknown>; value?: unknown; type?: string };
    if (node.type === "record") current = node.value;
    else current = node.entries?.[String(key)];
  }
  // Unknown keys are only reported by strict objects, which always have entries.
  const node = unwrap(current) as { entries: Record<string, unknown> };
  return Object.keys(node.entries);
}

function unwrap(schema: unknown): unknown {
  let node = schema as { wrapped?: unknown; pipe?: unknown[]; type?: string };
  for (;;) {
    if (node.wrapped) node = node.wrapped as typeof node;
    else if (node.pipe && node.pipe[0] !== node) node = node.pipe[0] as typeof node;
    else return node;
  }
}

function stripParens(text: string): string {
  return text.startsWith("(") && text.endsWith(")") ? text.slice(1, -1) : text;
}

/** Turns valibot issues into path-named one-liners; unknown keys get a "did you mean". */
export function toValueIssues(schema: v.GenericSchema, issues: readonly v.BaseIssue<unknown>[], base: readonly PropertyKey[] = []): ValueIssue[] {
  const out: ValueIssue[] = [];
  for (const issue of issues) {
    const keys = [...base, ...(issue.path ?? []).map((item) => item.key as PropertyKey)];
    if (issue.type === "union" && issue.issues) out.push(...unionIssues(schema, issue.issues, keys));
    else out.push({ path: keys.map(String).join("."), message: describe(schema, issue, keys) });
  }
  return out;
}

const isUnknownKey = (issue: v.BaseIssue<unknown>) => issue.type === "strict_object" && issue.expected === "never";
const isMissingKey = (issue: v.BaseIssue<unknown>) => issue.type === "strict_object" && issue.received === "undefined";
/** How deep below the union an issue sits (issues of a non-object input have no path). */
const depth = (issue: v.BaseIssue<unknown>) => issue.path?.length ?? 0;

/**
 * A union of object shapes (e.g. an env var with `value` or `valueFrom`): report the branch that matched best.
 * An unknown key means a wrong branch, and so does a missing key when another branch knew the key.
 */
function unionIssues(schema: v.GenericSchema, nested: readonly v.BaseIssue<unknown>[], keys: readonly PropertyKey[]): ValueIssue[] {
  const wrongBranch = nested.some(isUnknownKey);
  const candidates = nested.filter((issue) => !isUnknownKey(issue) && !(wrongBranch && isMissingKey(issue) && depth(issue) <= 1));
  const missing = candidates.filter(isMissingKey);
  if (candidates.length === 0 || (missing.length > 1 && missing.length === candidates.length)) {
    const names = missing.map((issue) => issue.expected);
    const message = names.length > 0 ? `expected an object with one of the keys ${names.join(" or ")}` : "expected an object of exactly one of the allowed shapes (it mixes keys of several)";
    return [{ path: keys.map(String).join("."), message }];
  }
  const deepest = [...candidates].sort((a, b) => depth(b) - depth(a))[0]!;
  return toValueIssues(schema, [deepest], keys);
}

function describe(schema: v.GenericSchema, issue: v.BaseIssue<unknown>, keys: readonly PropertyKey[]): string {
  if (issue.type === "strict_object" && issue.expected === "never") {
    const key = String(keys[keys.length - 1]);
    const known = knownKeysAt(schema, keys.slice(0, -1));
    const suggestion = suggestKey(key, known);
    return suggestion ? `unknown key; did you mean "${suggestion}"?` : `unknown key; known keys here: ${known.join(", ")}`;
  }
  if (isMissingKey(issue)) return "required key is missing";
  // Actions given a message of their own ("a namespace name"), and the long list of supported versions.
  const ownMessage = ["regex", "min_entries", "starts_with", "url"].includes(issue.type) || (issue.type === "picklist" && issue.expected!.length > 300);
  if (ownMessage) return `expected ${issue.message}, got ${JSON.stringify(issue.input)}`;
  return `expected ${stripParens(issue.expected!)}, got ${issue.received}`;
}
