/**
 * Hostile credentials against real servers (issue 15 §2): the tokens users really bring (what `openssl rand
 * -base64` makes, regex and nginx syntax, every length up to the limit, any byte a header may hold), the ones that
 * cannot be sent in a header, and a raw-socket HTTP client that sends a header's exact bytes (fetch and the Python
 * clients re-encode or refuse some of them).
 *
 * Used by test/chroma/auth-tokens.test.ts (1.x behind the rendered nginx proxy), auth-tokens-0x.test.ts (0.x checking
 * tokens themselves), auth-basic.test.ts and liveness.test.ts.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EvaluatedInstance } from "../../engine/evaluate.ts";
import type { Values, ValuesInput } from "../../schemas/values.ts";
import { imageProfiles, networkValues, render } from "./harness.ts";
import type { MatrixVersion } from "../../module/matrix.ts";
import { PodRunner, type ImageProfile, type RunnerOptions } from "./runner.ts";

/** A deterministic printable-ASCII token of `length` bytes (no space: 0.x servers refuse spaces). */
function printableToken(length: number, seed: number): string {
  let x = seed;
  let out = "";
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += String.fromCharCode(33 + (x % 94));
  }
  return out;
}

export interface HostileToken {
  readonly name: string;
  /** The token's bytes (a Secret holds bytes; latin1 strings here are byte strings). */
  readonly bytes: Buffer;
  /** Only bytes 0x21-0x7e: what the 0.x servers accept (Chroma's check_token: letters, digits, punctuation). */
  readonly visibleAscii: boolean;
}

const token = (name: string, value: string | Buffer): HostileToken => {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : value;
  return { name, bytes, visibleAscii: bytes.every((b) => b >= 0x21 && b <= 0x7e) };
};

/** Tokens that must each match only themselves, byte for byte, case-sensitively. */
export const hostileTokens: readonly HostileToken[] = [
  token("base64 as openssl rand -base64 makes it (ab+cd/ef==)", "ab+cd/ef=="),
  token("a regex that matches anything (.*)", ".*"),
  token('nginx syntax that broke out of the map key (x" 1; "~.)', 'x" 1; "~.'),
  token("1 byte", "Z"),
  token("64 bytes of printable ASCII", printableToken(64, 1)),
  token("512 bytes of printable ASCII", printableToken(512, 2)),
  token("4096 bytes of printable ASCII (the limit)", printableToken(4096, 3)),
  token("shell and regex metacharacters ($x ${X} \\1 ' ` | ; & ( ) [ ] ^ $)", "$x${CHROMA_AUTH_TOKEN}\\1'`|;&()[]^$"),
  token("UTF-8 bytes with interior spaces (pässwörd токен)", "pässwörd токен"),
];

/** The subset the issue names, tried with generated credentials too. */
export const issueTokens = hostileTokens.slice(0, 3).concat(hostileTokens.filter((t) => t.bytes.length === 512));

/** Tokens that cannot be sent in an HTTP header value: the proxy must refuse to start with them. */
export const unsendableTokens: readonly { name: string; bytes: Buffer; reason: RegExp }[] = [
  { name: "empty", bytes: Buffer.alloc(0), reason: /is empty/ },
  {
    name: "a trailing newline (echo into a Secret)",
    bytes: Buffer.from("SECRETabc\n"),
    reason: /control character \(0x0a\) at byte 10 of 10 \(a trailing newline/,
  },
  { name: "a tab inside", bytes: Buffer.from("SECRET\tabc"), reason: /control character \(0x09\) at byte 7 of 10/ },
  { name: "a carriage return inside", bytes: Buffer.from("SECRET\rabc"), reason: /control character \(0x0d\)/ },
  { name: "DEL inside", bytes: Buffer.from("SECRET\x7fabc"), reason: /control character \(0x7f\)/ },
  { name: "a leading space", bytes: Buffer.from(" SECRETabc"), reason: /starts or ends with a space/ },
  { name: "a trailing space", bytes: Buffer.from("SECRETabc "), reason: /starts or ends with a space/ },
  { name: "4097 bytes", bytes: Buffer.from(`SECRET${"a".repeat(4091)}`), reason: /is 4097 bytes long; the proxy accepts at most 4096/ },
];

/* ------------------------------------------------------------------ raw HTTP */

/** One GET with exactly these header bytes (no re-encoding, no validation); resolves with the status code. */
export function rawGet(port: number, path: string, headers: readonly (readonly [string, Buffer])[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" });
    const chunks: Buffer[] = [];
    socket.setTimeout(15_000, () => socket.destroy(new Error(`no answer from 127.0.0.1:${port}${path}`)));
    socket.on("connect", () => {
      const head = Buffer.concat([
        Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n`, "latin1"),
        ...headers.map(([name, value]) => Buffer.concat([Buffer.from(`${name}: `, "latin1"), value, Buffer.from("\r\n", "latin1")])),
        Buffer.from("\r\n", "latin1"),
      ]);
      socket.write(head); // not end(): uvicorn drops the answer to a half-closed connection
    });
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", reject);
    socket.on("close", () => {
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(Buffer.concat(chunks).toString("latin1"))?.[1];
      if (status) resolve(Number(status));
      else reject(new Error(`no HTTP status from 127.0.0.1:${port}${path}: ${Buffer.concat(chunks).toString("latin1").slice(0, 200)}`));
    });
  });
}

export type TokenHeader = "Authorization" | "X-Chroma-Token";

/** The header carrying `bytes` as a client sends it for `header`. */
export function tokenHeader(header: TokenHeader, bytes: Buffer): [string, Buffer] {
  return header === "Authorization" ? ["Authorization", Buffer.concat([Buffer.from("Bearer "), bytes])] : ["X-Chroma-Token", bytes];
}

/** Near misses of a token: each must be refused. */
export function nearMisses(header: TokenHeader, bytes: Buffer): { name: string; headers: [string, Buffer][] }[] {
  const swapped = Buffer.from(
    bytes.toString("latin1").replace(/[A-Za-z]/g, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())),
    "latin1",
  );
  const other: TokenHeader = header === "Authorization" ? "X-Chroma-Token" : "Authorization";
  const misses: { name: string; headers: [string, Buffer][] }[] = [
    { name: "no credentials", headers: [] },
    { name: "the token in the other header", headers: [tokenHeader(other, bytes)] },
    { name: "the token with one more byte", headers: [tokenHeader(header, Buffer.concat([bytes, Buffer.from("x")]))] },
    { name: "another value (what .* or a broken-out key matched)", headers: [tokenHeader(header, Buffer.from("anything-else"))] },
    { name: "the token as a substring", headers: [tokenHeader(header, Buffer.concat([Buffer.from("x"), bytes, Buffer.from("x")]))] },
  ];
  if (bytes.length > 1) misses.push({ name: "the token without its last byte", headers: [tokenHeader(header, bytes.subarray(0, -1))] });
  if (!swapped.equals(bytes)) misses.push({ name: "the token with letter case swapped", headers: [tokenHeader(header, swapped)] });
  if (header === "Authorization")
    misses.push({ name: "the token without the Bearer scheme", headers: [["Authorization", Buffer.concat([Buffer.from("Basic "), bytes])]] });
  return misses;
}

/* ------------------------------------------------------------------ pods */

export interface ServedPod {
  readonly instance: EvaluatedInstance<Values>;
  readonly runner: PodRunner;
  readonly port: number;
}

/** Renders an instance of `version` on free loopback ports and prepares its pod (not started); `busyboxProxy`: see below. */
export async function preparePod(version: MatrixVersion, values: ValuesInput, options: { busyboxProxy?: boolean } = {}): Promise<ServedPod> {
  const net = await networkValues();
  const chromadb = { ...values.chromadb, apiVersion: version, serverHost: "127.0.0.1", serverHttpPort: net.serverHttpPort };
  const instance = render({ ...values, chromadb, proxy: { ...values.proxy, upstreamPort: net.upstreamPort } });
  const profiles = imageProfiles(version, instance.values);
  const imageProfile: RunnerOptions["imageProfile"] = options.busyboxProxy
    ? (image, container) => (container === "auth-proxy" ? busyboxProfile() : profiles(image, container))
    : profiles;
  const runner = new PodRunner(instance.objects, instance.generatedSecrets, { imageProfile, readyTimeoutMs: 120_000 });
  return { instance, runner, port: net.serverHttpPort };
}

let busyboxDir: string | undefined;

/**
 * The default proxy image (nginx-unprivileged, Alpine) runs the start script with busybox's sh, od and awk, not
 * Debian's dash, coreutils and mawk: this profile puts busybox applets first on PATH (nginx stays Debian's).
 */
export function busyboxProfile(): ImageProfile {
  const busybox = "/bin/busybox";
  if (!existsSync(busybox)) throw new Error(`${busybox} is missing: run scripts/setup.sh (apt-get install -y busybox).`);
  if (!busyboxDir) {
    busyboxDir = mkdtempSync(join(tmpdir(), "chroma-mod-busybox-"));
    chmodSync(busyboxDir, 0o755);
    for (const applet of ["sh", "od", "awk", "mkdir", "printf"]) symlinkSync(busybox, join(busyboxDir, applet));
    process.on("exit", () => rmSync(busyboxDir!, { recursive: true, force: true }));
  }
  return {
    env: { PATH: `${busyboxDir}:/usr/sbin:/usr/bin:/sbin:/bin`, LANG: "C.UTF-8" },
    programs: { "/bin/sh": join(busyboxDir, "sh"), nginx: "/usr/sbin/nginx" },
    runAsRenderedUser: true,
  };
}

/** A Secret value for the runner, which hands strings to the container as UTF-8: every token here is valid UTF-8, so the container gets exactly these bytes. */
export function secretValue(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  if (!Buffer.from(text, "utf8").equals(bytes)) throw new Error("test tokens must be valid UTF-8 (the runner passes env as UTF-8)");
  return text;
}
