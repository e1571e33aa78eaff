/**
 * The token check run before a 0.x server that checks tokens itself: Chroma 0.4-0.6 accept a token only when every
 * character is an ASCII letter, digit or punctuation mark (its `check_token`: bytes 0x21-0x7e). 0.4 checks the
 * configured token at start and stops with a traceback; 0.5-0.6 check only each request's token, so a configured
 * token holding a space or a non-ASCII byte lets the server start and then refuse every request, the right one
 * included (tried on the real servers: test/chroma/auth-tokens-0x.test.ts). This check stops the container at start
 * with the reason instead, on every 0.x version alike, and never echoes the token.
 * It reads `od -An -v -tx1` of the token (one hex pair per byte), like the 1.x proxy's check (proxy.ts). Plain
 * POSIX awk (mawk, busybox): no single quote inside, as the program is one sh word.
 */
import type { Instance } from "../instance.ts";

/** What a token check says of a last byte 0x0a. */
export const trailingNewlineHint = " (a trailing newline, as echo writes: create the Secret with printf or --from-literal)";

/**
 * The start of every token check's awk program (the 1.x proxy's in proxy.ts, the 0.x server's below), reading
 * `od -An -v -tx1` of the token into b[1..n], with `fail(why)` (stderr, exit 1, naming the Secret, never the
 * token) and the empty-token refusal; the caller's checks follow inside END, which it closes.
 */
export function tokenBytesAwk(instance: Instance, who: string, fix: string): string {
  return `BEGIN { n = 0 }
{ for (i = 1; i <= NF; i++) b[++n] = $i "" }
function fail(why) {
  print "${who}: the token (key token of Secret ${instance.names.authSecret}) " why ". ${fix}" > "/dev/stderr"
  exit 1
}
END {
  if (n == 0) fail("is empty")`;
}

/** The sh command that checks the token in env var `envName` and exits 1 with the reason on stderr. */
export function serverTokenCheck(instance: Instance, envName: string): string {
  const fix = `Fix: put a token made only of ASCII letters, digits and punctuation (bytes 0x21-0x7e, no space or newline), e.g. from openssl rand -base64 32, in the Secret; the pod restarts with it.`;
  return `printf '%s' "$${envName}" | od -An -v -tx1 | awk '
${tokenBytesAwk(instance, "chroma-mod", fix)}
  for (i = 1; i <= n; i++) {
    if (b[i] < "21" || b[i] > "7e") {
      hint = (b[i] == "20") ? " (a space)" : (i == n && b[i] == "0a") ? "${trailingNewlineHint}" : (b[i] >= "80") ? " (part of a non-ASCII character)" : ""
      fail("has byte 0x" b[i] hint " at byte " i " of " n ", which Chroma ${instance.version} does not accept in a token")
    }
  }
}'`;
}
