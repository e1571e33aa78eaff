/** Kubeconfigs: the admin's, one per component (for this start's server URL), and users made on demand. */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { UserError } from "../engine/errors.ts";
import { pathsOf, type LocalClusterPaths } from "./paths.ts";
import { CLIENT_EXT, CLIENT_IDENTITIES, issueCert, subjectOf } from "./pki.ts";
import { clusterError, localCommand } from "./report.ts";
import { readState } from "./state.ts";
import type { LocalClusterOptions } from "./types.ts";

function b64(file: string): string {
  return readFileSync(file).toString("base64");
}

/** A kubeconfig for `server` as `user`, with the client certificate and key in the files named, written 0600. */
function writeKubeconfig(file: string, server: string, caFile: string, user: string, certFile: string, keyFile: string): void {
  const text = [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: chroma-mod-local",
    "  cluster:",
    `    server: ${server}`,
    `    certificate-authority-data: ${b64(caFile)}`,
    "users:",
    `- name: ${JSON.stringify(user)}`,
    "  user:",
    `    client-certificate-data: ${b64(certFile)}`,
    `    client-key-data: ${b64(keyFile)}`,
    "contexts:",
    "- name: chroma-mod-local",
    "  context:",
    "    cluster: chroma-mod-local",
    `    user: ${JSON.stringify(user)}`,
    "    namespace: default",
    "current-context: chroma-mod-local",
    "",
  ].join("\n");
  writeFileSync(file, text, { mode: 0o600 });
}

/** The kubeconfig of a component (its client certificate's file name), in the pki dir. */
export function componentKubeconfig(paths: LocalClusterPaths, file: "controller-manager" | "scheduler" | "kwok" | "local-node"): string {
  return join(paths.pkiDir, `${file}.kubeconfig`);
}

/** The admin kubeconfig (<stateDir>/admin.kubeconfig) and each component's, for `server`. */
export function writeKubeconfigs(paths: LocalClusterPaths, server: string): void {
  const p = (f: string): string => join(paths.pkiDir, f);
  for (const { file, user } of CLIENT_IDENTITIES) {
    const to = file === "admin" ? paths.kubeconfig : componentKubeconfig(paths, file);
    writeKubeconfig(to, server, p("ca.crt"), user, p(`${file}.crt`), p(`${file}.key`));
  }
}

/**
 * A kubeconfig for user `name` (client certificate signed by the cluster CA, organisations = `groups`).
 * With no groups the user has no rights beyond system:authenticated (discovery, self-reviews), so every
 * read or write of a resource is Forbidden by RBAC. Returns the file path (<stateDir>/users/<name>.kubeconfig).
 */
export async function createUserKubeconfig(name: string, groups: string[] = [], opts: LocalClusterOptions = {}): Promise<string> {
  // X.509 caps a CN or O at 64 characters (openssl refuses longer ones).
  const valid = /^[A-Za-z0-9][A-Za-z0-9:._@-]{0,63}$/;
  for (const v of [name, ...groups]) {
    if (!valid.test(v)) {
      throw new UserError(`Local cluster: invalid user or group name ${JSON.stringify(v)}.`, "Use at most 64 letters, digits and : . _ @ - only.");
    }
  }
  if (groups.includes("system:masters")) {
    throw new UserError("Local cluster: createUserKubeconfig refuses the group system:masters.", "Use the admin kubeconfig instead.");
  }
  const paths = pathsOf(opts);
  const st = readState(paths);
  if (st === null) {
    throw clusterError(`no cluster CA in ${paths.pkiDir}`, null, `start the cluster once with \`${localCommand(paths, "up")}\``);
  }
  mkdirSync(paths.usersDir, { recursive: true });
  const file = name.replace(/:/g, "_");
  const base = join(paths.usersDir, file);
  // issueCert works relative to the pki dir; the user cert files live in users/.
  await issueCert(paths.pkiDir, `../users/${file}`, subjectOf(name, groups), CLIENT_EXT, 365);
  const kubeconfig = `${base}.kubeconfig`;
  writeKubeconfig(kubeconfig, st.server, join(paths.pkiDir, "ca.crt"), name, `${base}.crt`, `${base}.key`);
  return kubeconfig;
}
