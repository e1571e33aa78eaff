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
  const node = unwrap(current) as { entries?: Record<string, unknown> };
  return Object.keys(node.entries ?? {});
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
export function toValueIssues(schema: v.GenericSchema, issues: readonly v.BaseIssue<unknown>[], prefix: readonly string[] = []): ValueIssue[] {
  const out: ValueIssue[] = [];
  for (const issue of issues) {
    if (issue.issues && issue.type === "union") {
      out.push(...unionIssues(schema, issue, prefix));
      continue;
    }
    const keys = (issue.path ?? []).map((item) => item.key as PropertyKey);
    const path = [...prefix, ...keys.map(String)].join(".");
    out.push({ path, message: describe(schema, issue, keys) });
  }
  return out;
}

function unionIssues(schema: v.GenericSchema, issue: v.BaseIssue<unknown>, prefix: readonly string[]): ValueIssue[] {
  // A union of object shapes: report the nested issues of the closest branch (the first with the deepest path).
  const nested = [...(issue.issues ?? [])].sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0));
  const deepest = nested[0]!;
  if ((deepest.path?.length ?? 0) > (issue.path?.length ?? 0)) return toValueIssues(schema, [deepest], prefix);
  const keys = (issue.path ?? []).map((item) => String(item.key));
  return [{ path: [...prefix, ...keys].join("."), message: `expected ${issue.expected}, got ${issue.received}` }];
}

function describe(schema: v.GenericSchema, issue: v.BaseIssue<unknown>, keys: readonly PropertyKey[]): string {
  if (issue.type === "strict_object" && issue.expected === "never") {
    const key = String(keys[keys.length - 1]);
    const known = knownKeysAt(schema, keys.slice(0, -1));
    const suggestion = suggestKey(key, known);
    return suggestion ? `unknown key; did you mean "${suggestion}"?` : `unknown key; known keys here: ${known.join(", ")}`;
  }
  if (issue.type === "regex" || issue.type === "check" || issue.type === "starts_with" || issue.type === "url") {
    return `expected ${issue.message}, got ${issue.received}`;
  }
  if (issue.type === "picklist" && (issue.expected ?? "").length > 300) {
    return `expected ${issue.message}, got ${issue.received}`;
  }
  return `expected ${stripParens(issue.expected ?? "a valid value")}, got ${issue.received}`;
}
