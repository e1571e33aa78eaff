/**
 * The htpasswd check run before whatever reads the file (the 1.x auth proxy's nginx, a 0.x server): every user
 * line must be `<user>:<bcrypt hash>`. A user name holding ':' cannot be written in htpasswd (the line splits at
 * its first ':', and the rest is then no bcrypt hash), so such a line is refused by its number, never echoed
 * (0.5-0.6 would print the user name and hash in a traceback; nginx and 0.4 would start and let nobody in).
 * What else each reader accepts, read from their code and tried on the real servers (test/chroma/auth-basic.test.ts):
 * nginx skips blank lines and `#` comments; 0.5-0.6 skip blank lines and read a comment as a broken user (a
 * traceback at start); 0.4 reads the first line only (a blank first line crashes it, further users are ignored).
 * Plain POSIX awk (mawk, busybox): no single quote inside, as the program is one sh word.
 */
import type { Instance } from "../instance.ts";
import { paths } from "./config.ts";

/** Who reads the file: nginx (the 1.x proxy) or the 0.x server's own provider. */
type Reader = "proxy" | "server";

/** The sh command that checks the mounted htpasswd file and exits 1 with the reason on stderr. */
export function htpasswdCheck(instance: Instance, reader: Reader): string {
  const secret = instance.names.authSecret;
  const who = reader === "proxy" ? "chroma-mod auth proxy" : "chroma-mod";
  const comments = reader === "proxy" ? 1 : 0;
  const firstLineOnly = reader === "server" && instance.gates.basicAuth === "auth-provider" ? 1 : 0;
  return `awk '
BEGIN { comments = ${comments}; single = ${firstLineOnly} }
{
  if ($0 == "" && !(single && NR == 1)) next
  if (comments && $0 ~ /^#/) next
  if (single && NR > 1) { bad = NR; why = "is a second user: Chroma ${instance.version} reads only the first line"; exit 1 }
  if ($0 ~ /^#/) { bad = NR; why = "is a comment, which Chroma ${instance.version} reads as a broken user"; exit 1 }
  colon = index($0, ":")
  hash = substr($0, colon + 1)
  if (colon < 2 || length(hash) != 60 || hash !~ /^[$]2[aby][$][0-9][0-9][$][.\\/A-Za-z0-9]+$/) {
    bad = NR
    why = "is not <user>:<bcrypt hash>" (($0 ~ /\\r$/) ? " (it ends with a carriage return: use Unix line endings)" : "") ". A user name cannot hold a colon and the password must be hashed with bcrypt"
    exit 1
  }
  users++
}
END {
  if (bad) {
    print "${who}: line " bad " of the htpasswd key of Secret ${secret} " why ". Fix: make each line with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
    exit 1
  }
  if (!users) {
    print "${who}: the htpasswd key of Secret ${secret} holds no user. Fix: add a line made with htpasswd -nbB USER PASSWORD." > "/dev/stderr"
    exit 1
  }
}
' ${paths.htpasswdFile}`;
}
