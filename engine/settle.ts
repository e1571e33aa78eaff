/**
 * What the bundle's worker thread does (engine/loader.ts): import the compiled bundle, await its default export
 * (a bundle may export a promise), and turn it into plain data, with every non-data value as an issue. The result
 * is plain data itself, so it crosses to the main thread as a message.
 */
import { describeThrown, plainData } from "./plain-data.ts";
import type { ValueIssue } from "../core/issues.ts";

export type Settled =
  | { readonly kind: "value"; readonly value: unknown; readonly issues: ValueIssue[] }
  | { readonly kind: "no-default" }
  | { readonly kind: "threw"; readonly message: string; readonly stack: string };

export function thrown(error: unknown): Settled {
  let stack = "";
  try {
    stack = error instanceof Error ? String(error.stack) : "";
  } catch {
    // a stack getter that throws: no location
  }
  return { kind: "threw", message: describeThrown(error), stack };
}

export async function settleBundle(load: () => Promise<{ default?: unknown }>): Promise<Settled> {
  let exported: unknown;
  try {
    exported = (await load()).default;
    if (exported === undefined) return { kind: "no-default" };
    if (typeof exported === "function") {
      return {
        kind: "value",
        value: undefined,
        issues: [{ path: "", message: "the default export is a function, not a bundle: export what it returns (e.g. `export default await makeBundle()`)" }],
      };
    }
    exported = await exported;
  } catch (error) {
    return thrown(error);
  }
  return { kind: "value", ...plainData(exported) };
}
