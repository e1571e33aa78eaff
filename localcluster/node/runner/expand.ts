/**
 * The two text substitutions of a container's configuration: a mount path rewritten to its host directory
 * wherever it appears as a path, and Kubernetes' `$(VAR)` expansion.
 */

const pathChar = /[A-Za-z0-9_.-]/;

/** Rewrites every occurrence of a mount path used as a path (whole path component boundaries) in `text`. */
export function rewritePaths(text: string, mounts: ReadonlyMap<string, string>): string {
  const keys = [...mounts.keys()].filter((k) => k !== "/").sort((a, b) => b.length - a.length);
  if (keys.length === 0) return text;
  const escaped = keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const re = new RegExp(`(${escaped.join("|")})(?=$|[^A-Za-z0-9_.\\-])`, "g");
  return text.replace(re, (match, _g, offset: number) => {
    const before = offset > 0 ? text[offset - 1]! : "";
    // "/var/tmp" must not match "/tmp", nor "//tmp" or "/tmpx"; "/tmp/x" and "a /tmp;" do.
    if (before && (pathChar.test(before) || before === "/")) return match;
    return mounts.get(match)!;
  });
}

/** Kubernetes `$(VAR)` expansion ($$ escapes), unresolved references stay as written. */
export function expandK8s(text: string, env: Readonly<Record<string, string>>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string | undefined) => {
    if (m === "$$") return "$";
    return name !== undefined && name in env ? env[name]! : m;
  });
}
