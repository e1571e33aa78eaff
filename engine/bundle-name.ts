/**
 * A bundle's identity: its `name`, or by default its file name without `.config.ts` (made a DNS label). Each
 * instance's inventory is labelled with it, so `apply` knows which instances the bundle held before.
 */
import { basename } from "node:path";
import { UserError } from "./errors.ts";

/** `bundles/Prod EU.config.ts` → `prod-eu`. */
export function bundleNameFromFile(file: string): string {
  const stem = basename(file).replace(/(\.config)?\.[cm]?[jt]s$/i, "");
  const name = stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, 63)
    .replace(/^-+|-+$/g, "");
  if (!name) {
    throw new UserError(
      `${file}: cannot name the bundle after its file (no letter or digit in "${stem}").`,
      `Give the bundle a name: defineBundle({ name: "my-bundle", instances: … }).`,
    );
  }
  return name;
}
