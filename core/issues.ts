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

const unknownKeyPrefix = "unknown key";

/** The message of an unknown key: the closest known key, or every known key. */
function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = key.length <= 100 ? suggestKey(key, known) : undefined;
  return suggestion ? `${unknownKeyPrefix}; did you mean "${suggestion}"?` : `${unknownKeyPrefix}; known keys here: ${known.join(", ")}`;
}

/**
 * `v.strictObject` whose unknown-key issue says which key was meant: the object knows its own keys, so no walk
 * through valibot's schema internals is needed to find them.
 */
export function strictObject<const TEntries extends v.ObjectEntries>(entries: TEntries) {
  const known = Object.keys(entries);
  return v.strictObject(entries, (issue) => (issue.expected === "never" ? unknownKeyMessage(String(issue.input), known) : issue.message));
}

/**
 * Values under these keys are never printed in a message (a token pasted in the wrong place must not end up in a
 * CI log): `auth`, and anything named like a credential.
 */
const secretSegment = /^(auth|password|token|secret|credentials?)$/i;
const isSecretPath = (keys: readonly PropertyKey[]) => keys.some((key) => secretSegment.test(String(key)));

/** A value as a message shows it: strings quoted, escaped and cut short; everything else by its type. */
function shown(issue: v.BaseIssue<unknown>, keys: readonly PropertyKey[]): string {
  const input = issue.input;
  if (isSecretPath(keys) && input !== undefined)
    return typeof input === "string"
      ? `a string of ${input.length} characters (not shown: values under auth are never printed)`
      : "a value that is not shown (values under auth are never printed)";
  if (typeof input === "string") return JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input);
  if (typeof input === "number" && !Number.isInteger(input)) return String(input);
  return issue.received;
}

function stripParens(text: string): string {
  return text.startsWith("(") && text.endsWith(")") ? text.slice(1, -1) : text;
}

/** Turns valibot issues into path-named one-liners; unknown keys get a "did you mean". */
export function toValueIssues(issues: readonly v.BaseIssue<unknown>[], base: readonly PropertyKey[] = []): ValueIssue[] {
  const out: ValueIssue[] = [];
  for (const issue of issues) {
    const keys = [...base, ...(issue.path ?? []).map((item) => item.key as PropertyKey)];
    if (issue.type === "union" && issue.issues) out.push(...unionIssues(issue.issues, keys));
    else out.push({ path: keys.map(String).join("."), message: describe(issue, keys) });
  }
  return out;
}

export const isUnknownKey = (issue: v.BaseIssue<unknown>) => issue.type === "strict_object" && issue.expected === "never";
export const isMissingKey = (issue: v.BaseIssue<unknown>) => issue.type === "strict_object" && issue.received === "undefined";
/** How deep below the union an issue sits (issues of a non-object input have no path). */
const depth = (issue: v.BaseIssue<unknown>) => issue.path?.length ?? 0;

/**
 * A union of object shapes (e.g. an env var with `value` or `valueFrom`): report the branch that matched best.
 * An unknown key means a wrong branch, and so does a missing key when another branch knew the key.
 */
function unionIssues(nested: readonly v.BaseIssue<unknown>[], keys: readonly PropertyKey[]): ValueIssue[] {
  const wrongBranch = nested.some(isUnknownKey);
  const candidates = nested.filter((issue) => !isUnknownKey(issue) && !(wrongBranch && isMissingKey(issue) && depth(issue) <= 1));
  const missing = candidates.filter(isMissingKey);
  if (candidates.length === 0 || (missing.length > 1 && missing.length === candidates.length)) {
    const names = missing.map((issue) => issue.expected);
    const message =
      names.length > 0
        ? `expected an object with one of the keys ${names.join(" or ")}`
        : "expected an object of exactly one of the allowed shapes (it mixes keys of several)";
    return [{ path: keys.map(String).join("."), message }];
  }
  const deepest = [...candidates].sort((a, b) => depth(b) - depth(a))[0]!;
  return toValueIssues([deepest], keys);
}

/** What an action without an `expected` of its own (e.g. `integer`) expects. */
const expectedOf: Record<string, string> = { integer: "an integer", safe_integer: "an integer" };

/** Actions given a message of their own ("a namespace name"): `expected <message>, got <value>`. */
const ownMessage = new Set(["regex", "min_entries", "starts_with", "url", "max_length", "min_length"]);

function describe(issue: v.BaseIssue<unknown>, keys: readonly PropertyKey[]): string {
  if (isUnknownKey(issue)) return issue.message.startsWith(unknownKeyPrefix) ? issue.message : unknownKeyPrefix;
  if (isMissingKey(issue)) return "required key is missing";
  // A message that explains itself (e.g. an unreleased Chroma version): printed as it is.
  if (issue.type === "picklist" && issue.expected!.length > 300) return issue.message;
  // A literal given a message of its own (valibot's own start "Invalid"): the reason a value is refused.
  if (issue.type === "literal" && !issue.message.startsWith("Invalid ")) return `${issue.message}, got ${shown(issue, keys)}`;
  if (ownMessage.has(issue.type)) return `expected ${issue.message}, got ${shown(issue, keys)}`;
  if (issue.expected !== null) return `expected ${stripParens(issue.expected)}, got ${shown(issue, keys)}`;
  // An action that expects nothing it can name (a check): its own message says what is wrong.
  return issue.type in expectedOf ? `expected ${expectedOf[issue.type]}, got ${shown(issue, keys)}` : `${issue.message}, got ${shown(issue, keys)}`;
}
