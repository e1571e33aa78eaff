/**
 * The cluster's certificates, made with `openssl` once per state dir: CA, apiserver serving certificate, a client
 * certificate per identity, front-proxy CA + client (aggregation layer), service-account key pair.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { LocalClusterPaths } from "./paths.ts";
import { SERVICE_FIRST_IP } from "./ports.ts";
import { clusterError } from "./report.ts";

/** The admin kubeconfig's user (system:masters). */
const ADMIN_USER = "chroma-mod:admin";
/** kwok's identity (in system:masters, so it can patch any status); its reads are not audited. */
export const KWOK_USER = "chroma-mod:kwok";
/** The local node agent's identity (in system:masters like kwok: it is also the volume provisioner); its reads are not audited. */
export const LOCAL_NODE_USER = "chroma-mod:local-node";

/** Who each client certificate (<pki>/<file>.crt) names: user (CN) and groups (O). */
export const CLIENT_IDENTITIES = [
  { file: "admin", user: ADMIN_USER, groups: ["system:masters"] },
  { file: "controller-manager", user: "system:kube-controller-manager", groups: [] },
  { file: "scheduler", user: "system:kube-scheduler", groups: [] },
  { file: "kwok", user: KWOK_USER, groups: ["system:masters"] },
  { file: "local-node", user: LOCAL_NODE_USER, groups: ["system:masters"] },
] as const;

export const CLIENT_EXT = "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n";
const SERVING_EXT =
  "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n" +
  `subjectAltName=IP:127.0.0.1,IP:${SERVICE_FIRST_IP},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,` +
  "DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n";

const run = promisify(execFile);

/** One openssl command in the pki dir; asynchronous, so the state dir's lock keeps being refreshed meanwhile. */
async function openssl(pki: string, args: string[]): Promise<void> {
  try {
    await run("openssl", args, { cwd: pki, encoding: "utf8" });
  } catch (e) {
    // A failed spawn (no openssl) has an empty stderr: its message says why.
    const { message, stderr } = e as Error & { stderr: string };
    const detail = stderr.trim() ? stderr.trim().split("\n").slice(-2).join(" | ") : message;
    throw clusterError(
      `\`openssl ${args.slice(0, 2).join(" ")} ...\` failed in ${pki}: ${detail}`,
      null,
      `install openssl (apt-get install openssl) and make sure ${pki} is writable`,
    );
  }
}

function randomSerial(): string {
  return `0x${randomBytes(8).toString("hex")}`;
}

export function subjectOf(cn: string, groups: readonly string[]): string {
  return groups.map((g) => `/O=${g}`).join("") + `/CN=${cn}`;
}

/** Key + certificate signed by the cluster CA. */
export async function issueCert(pki: string, name: string, subject: string, ext: string, days = 3650, ca = "ca"): Promise<void> {
  writeFileSync(join(pki, `${name}.ext`), ext);
  await openssl(pki, ["req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject]);
  await openssl(pki, [
    "x509",
    "-req",
    "-in",
    `${name}.csr`,
    "-CA",
    `${ca}.crt`,
    "-CAkey",
    `${ca}.key`,
    "-set_serial",
    randomSerial(),
    "-days",
    String(days),
    "-sha256",
    "-extfile",
    `${name}.ext`,
    "-out",
    `${name}.crt`,
  ]);
  rmSync(join(pki, `${name}.csr`), { force: true });
}

/** Every key and certificate the cluster needs. Each is made once per state dir; missing ones are added. */
export async function ensurePki(paths: LocalClusterPaths): Promise<void> {
  const pki = paths.pkiDir;
  mkdirSync(pki, { recursive: true, mode: 0o700 });
  const missing = (...files: string[]): boolean => files.some((f) => !existsSync(join(pki, f)));
  for (const [name, cn] of [
    ["ca", "chroma-mod-local-ca"],
    ["front-proxy-ca", "chroma-mod-front-proxy-ca"],
  ] as const) {
    if (missing(`${name}.crt`, `${name}.key`)) {
      await openssl(pki, [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.crt`,
        "-days",
        "3650",
        "-sha256",
        "-subj",
        `/CN=${cn}`,
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
      ]);
    }
  }
  const certs: [name: string, subject: string, ext: string, ca?: string][] = [
    ["apiserver", "/CN=kube-apiserver", SERVING_EXT],
    ...CLIENT_IDENTITIES.map((c): [string, string, string] => [c.file, subjectOf(c.user, c.groups), CLIENT_EXT]),
    ["front-proxy-client", "/CN=front-proxy-client", CLIENT_EXT, "front-proxy-ca"],
  ];
  for (const [name, subject, ext, ca] of certs) {
    if (missing(`${name}.crt`, `${name}.key`)) await issueCert(pki, name, subject, ext, 3650, ca);
  }
  if (missing("sa.key", "sa.pub")) {
    await openssl(pki, ["genrsa", "-out", "sa.key", "2048"]);
    await openssl(pki, ["rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub"]);
  }
}
