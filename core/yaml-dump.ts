/**
 * One YAML writer for the module's configuration files and the engine's manifests.
 * js-yaml's block YAML of plain data (lineWidth -1, noRefs, double quotes), written three to five times faster:
 * js-yaml decides every scalar's style by looking at it character by character and matching it against YAML's
 * implicit types, and a bundle's objects repeat the same keys and values in every instance. Here js-yaml still
 * writes every scalar, once per distinct value (cached), and this file writes what only depends on the shape: the
 * indentation of mappings and sequences as js-yaml's writeBlockMapping/writeBlockSequence do, and the literal block
 * (`|`) that js-yaml chooses for a multi-line string. Anything else (a multi-line string that is not printable
 * ASCII, a key js-yaml would write as an explicit `? ` key, a value that is not plain data) is left to js-yaml for the
 * whole object. test/unit/core-yaml-dump.test.ts compares the two byte for byte.
 */
import { dump, type DumpOptions } from "js-yaml";

const options: DumpOptions = { lineWidth: -1, noRefs: true, quotingType: '"' };

/** Out of this emitter's domain: js-yaml writes the object. */
class Unhandled extends Error {}

const literalText = /^[\x20-\x7e\n]*$/;

/**
 * A word js-yaml writes as it is (plain): it starts with a letter and holds only letters, digits and `._/-`, so no
 * YAML number, timestamp or merge key reads it; unless it is one of the words YAML reads as a boolean or null
 * (js-yaml quotes YAML 1.1's `yes`/`on`/… too, for older readers).
 */
const plainWord = /^[A-Za-z][A-Za-z0-9._/-]*$/;
const reservedWords = new Set(
  ["true", "false", "null", "y", "yes", "on", "n", "no", "off"].flatMap((w) => [w, w[0]!.toUpperCase() + w.slice(1), w.toUpperCase()]),
);

/** What js-yaml writes for most scalars, without asking it (which costs a dump's set-up each time). */
function knownScalar(value: string | number | boolean | null): string | undefined {
  if (typeof value === "string") return plainWord.test(value) && !reservedWords.has(value) ? value : undefined;
  if (typeof value === "number") return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : undefined; // js-yaml: -0.0
  return String(value); // true, false, null
}
const newlines: string[] = [];
const newline = (spaces: number) => (newlines[spaces] ??= `\n${" ".repeat(spaces)}`);

/** One object as js-yaml's `dump(object, options)` writes it. `cache`: scalars already written, shared across calls. */
export function dumpYaml(object: unknown, cache: Map<unknown, string> = new Map()): string {
  const scalar = (value: string | number | boolean | null): string => {
    const known = knownScalar(value);
    if (known !== undefined) return known;
    let text = cache.get(value);
    if (text === undefined) {
      text = dump(value, options).slice(0, -1);
      cache.set(value, text);
    }
    return text;
  };
  // js-yaml's literal block at nesting depth `level`: the header (indentation indicator, chomping), then every
  // non-empty line indented by 2 per level, without the text's last line break.
  const literal = (text: string, level: number): string => {
    if (!literalText.test(text)) throw new Unhandled();
    const indicator = /^\n* /.test(text) ? "2" : "";
    const clip = text.endsWith("\n");
    const chomp = clip && (text.endsWith("\n\n") || text === "\n") ? "+" : clip ? "" : "-";
    const body = text.replace(/^(?=[^\n])/gm, " ".repeat(2 * Math.max(1, level)));
    return `|${indicator}${chomp}\n${body.endsWith("\n") ? body.slice(0, -1) : body}`;
  };
  // `compact`: the first entry continues the current line (a sequence item's, or the document's start).
  const node = (value: unknown, level: number, compact: boolean): string => {
    if (typeof value === "string") return value.includes("\n") ? literal(value, level) : scalar(value);
    if (typeof value === "boolean" || typeof value === "number" || value === null) return scalar(value);
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      let out = "";
      for (let i = 0; i < value.length; i++) {
        if (!(i in value)) throw new Unhandled();
        const item = node(value[i], level + 1, true);
        if (!compact || out !== "") out += newline(2 * level);
        out += `- ${item}`; // an item continues the dash's line (compact): it never starts with a line break
      }
      return out;
    }
    if (typeof value === "object") {
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) throw new Unhandled();
      const keys = Object.keys(value);
      if (keys.length === 0) return "{}";
      let out = "";
      for (const key of keys) {
        if (!compact || out !== "") out += newline(2 * level);
        if (key.includes("\n")) throw new Unhandled();
        const name = scalar(key);
        if (name.length > 1024) throw new Unhandled();
        const item = node((value as Record<string, unknown>)[key], level + 1, false);
        out += item.startsWith("\n") ? `${name}:${item}` : `${name}: ${item}`;
      }
      return out;
    }
    throw new Unhandled();
  };
  try {
    return `${node(object, 0, true)}\n`;
  } catch {
    return dump(object, options); // Unhandled, or whatever js-yaml itself would fail on, with js-yaml's own error
  }
}
