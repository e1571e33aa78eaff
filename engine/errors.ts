/** Expected failures the CLI prints as one paragraph with a hint, and exits non-zero. */
import type { ValueIssue } from "../core/issues.ts";

export class UserError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A bundle that could not be loaded: missing file, syntax error, an exception while evaluating it. */
export class BundleLoadError extends UserError {}

/** Values that failed validation: every issue, each with the instance and the value path. */
export class ValidationError extends UserError {
  constructor(
    readonly file: string,
    readonly issues: readonly ValueIssue[],
    hint = "Fix the values at the paths above (`chroma-mod schema` prints every key with its type and default).",
  ) {
    super(
      `${file}: ${issues.length} invalid value${issues.length === 1 ? "" : "s"}:\n${issues.map((i) => `  ${i.path || "(the default export)"}: ${i.message}`).join("\n")}`,
      hint,
    );
  }
}
