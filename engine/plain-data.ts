/**
 * A bundle is data: objects, arrays, strings, numbers, booleans and null. `plainData` copies a value into fresh
 * plain objects and reports, with its path, everything else a bundle may hold by mistake (functions, BigInts,
 * symbols, class instances such as Dates, circular references, getters that throw) and the keys no JavaScript
 * object can hold safely (`__proto__`, `prototype`, `constructor`: the validator drops them, so they would vanish
 * silently, and `__proto__` rewrites an object's prototype). Nothing is dropped: a problem is an issue.
 */
import type { ValueIssue } from "../core/issues.ts";

export const reservedKeys: ReadonlySet<string> = new Set(["__proto__", "prototype", "constructor"]);

export const reservedKeyMessage = (key: string) =>
  `the key "${key}" cannot be used: "__proto__", "prototype" and "constructor" are refused as keys anywhere in a bundle (JavaScript objects cannot hold them safely)`;

export interface PlainData {
  readonly value: unknown;
  readonly issues: ValueIssue[];
}

/** A message that never throws, whatever was thrown. */
export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return "(a value that cannot be printed)";
  }
}

/** What a non-plain object is, for a message: "a Date", "a Map", "an instance of class Foo", "a promise". */
function kindOf(object: object): string {
  if (object instanceof Date) return "a Date is not a value: use a string (e.g. date.toISOString())";
  if (typeof (object as { then?: unknown }).then === "function") return "a promise is not a value: await it (e.g. `export default await …`)";
  const proto = Object.getPrototypeOf(object) as { constructor?: { name?: unknown } };
  const name = Object.hasOwn(proto, "constructor") ? proto.constructor?.name : undefined;
  const what = typeof name === "string" && name !== "" ? `a ${name}` : "an object with a custom prototype";
  return `${what} is not a value: use plain objects, arrays, strings, numbers and booleans`;
}

export function plainData(input: unknown, root: readonly string[] = []): PlainData {
  const issues: ValueIssue[] = [];
  const ancestors: object[] = [];
  const issue = (path: readonly string[], message: string) => void issues.push({ path: path.join("."), message });

  function copy(value: unknown, path: string[]): unknown {
    switch (typeof value) {
      case "bigint":
        return issue(path, "a BigInt is not a value: use a number or a string");
      case "symbol":
        return issue(path, "a symbol is not a value: use a string");
      case "function":
        return issue(path, "a function is not a value: call it and use what it returns");
      case "object":
        return value === null ? null : copyObject(value, path);
      default:
        return value; // string, number, boolean, undefined
    }
  }

  function copyObject(object: object, path: string[]): unknown {
    if (ancestors.includes(object)) return issue(path, "a circular reference: the value contains itself");
    try {
      const proto = Object.getPrototypeOf(object) as unknown;
      const isArray = Array.isArray(object);
      if (!isArray && proto !== Object.prototype && proto !== null) return issue(path, kindOf(object));
      if (Object.getOwnPropertySymbols(object).some((symbol) => Object.prototype.propertyIsEnumerable.call(object, symbol))) {
        issue(path, "a symbol key is not a key: use a string");
      }
      const keys = isArray ? Array.from({ length: (object as unknown[]).length }, (_, i) => String(i)) : Object.keys(object);
      ancestors.push(object);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        if (reservedKeys.has(key)) {
          issue([...path, key], reservedKeyMessage(key));
          continue;
        }
        let child: unknown;
        try {
          child = (object as Record<string, unknown>)[key];
        } catch (error) {
          issue([...path, key], `reading it threw: ${describeThrown(error)}`);
          continue;
        }
        out[key] = copy(child, [...path, key]);
      }
      ancestors.pop();
      return isArray ? keys.map((key) => out[key]) : out;
    } catch (error) {
      // A Proxy whose traps throw (before anything was pushed: reading each key has its own catch).
      return issue(path, `reading it threw: ${describeThrown(error)}`);
    }
  }

  const value = copy(input, [...root]);
  return { value, issues };
}
