/**
 * `--set` arguments read into overrides. A module of its own so that the YAML parser loads only when a command is
 * given `--set` (engine/evaluate.ts applies the overrides).
 */
import { parseDocument, visit } from "yaml";
import { UserError } from "./errors.ts";
import { setExample } from "./evaluate.ts";

/**
 * `--set <instance>.<path>=<value>`: the value is read as YAML (`true`, `3`, `[a, b]`, `"text"`), except that a
 * number whose text is not how the number prints (`1.10`, `010`, `1e3`, `.inf`) stays the text the user typed.
 * The path may name the instance's values as errors print them (`<instance>.values.<path>`); a numeric segment
 * indexes a list (`extraEnv.0.name`).
 */
export interface Override {
  readonly instance: string;
  readonly path: readonly string[];
  readonly value: unknown;
}

export function parseOverride(text: string): Override {
  const eq = text.indexOf("=");
  // Never echo the value: it may be a credential.
  if (eq < 0) throw new UserError(`--set: an argument without "=": expected <instance>.<value path>=<value>.`, setExample);
  const keys = text.slice(0, eq).split(".");
  if (keys.length < 2 || keys.some((key) => key === "")) {
    throw new UserError(`--set ${text.slice(0, eq)}=…: expected <instance>.<value path>=<value>.`, setExample);
  }
  const path = keys[1] === "values" ? keys.slice(2) : keys.slice(1);
  return { instance: keys[0]!, path, value: parseSetValue(text.slice(eq + 1)) };
}

function parseSetValue(raw: string): unknown {
  const document = parseDocument(raw);
  if (document.errors.length > 0) return raw;
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === "number" && node.source !== String(node.value)) node.value = node.source;
    },
  });
  try {
    return document.toJS();
  } catch {
    return raw; // an alias to no anchor, or too many aliases
  }
}
