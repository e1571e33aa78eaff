/** Generated Secrets: values made once, in the cluster; existing keys never change, missing keys are added. */
import { randomInt } from "node:crypto";
import bcrypt from "bcryptjs";
import { CERTIFICATE_KEYS, type GeneratedSecret, type KubeObject } from "../../core/types.ts";
import type { IssueCertificate } from "./certificate.ts";
import { KubeError } from "../kube/errors.ts";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A random string over [A-Za-z0-9], uniform (crypto.randomInt). */
export function randomToken(length: number): string {
  let s = "";
  for (let i = 0; i < length; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** `user:<bcrypt hash>`; bcryptjs, cost 10, `$2b$` prefix (read by Python bcrypt, Apache and Go alike). */
export function htpasswdLine(user: string, password: string, cost = 10): string {
  return `${user}:${bcrypt.hashSync(password, cost)}`;
}

/** The module asked for something the engine cannot generate. */
export class GeneratedSecretError extends KubeError {}

/** Loads the certificate issuer when one of `specs` asks for a certificate (node-forge is read only then). */
export async function certificateIssuer(specs: readonly GeneratedSecret[]): Promise<IssueCertificate | undefined> {
  return specs.some((spec) => spec.certificate) ? (await import("./certificate.ts")).issueCertificate : undefined;
}

/**
 * The complete decoded data of a generated Secret: `existing` values kept as they are, missing keys generated in
 * declaration order; its certificate issued when a part of it is missing (`issue`: from certificateIssuer). `added`
 * lists the keys that were missing.
 */
export function fillSecretData(
  spec: GeneratedSecret,
  existing: Readonly<Record<string, string>>,
  issue?: IssueCertificate,
): { data: Record<string, string>; added: string[] } {
  const data: Record<string, string> = { ...existing };
  const added: string[] = [];
  if (spec.certificate && CERTIFICATE_KEYS.some((key) => !(key in data))) {
    if (!issue) throw new Error(`fillSecretData: Secret "${spec.metadata.name}" asks for a certificate; pass certificateIssuer's issuer.`);
    Object.assign(data, issue(spec.certificate));
    added.push(...CERTIFICATE_KEYS.filter((key) => !(key in existing)));
  }
  for (const [key, source] of Object.entries(spec.generate)) {
    if (key in data) continue;
    if ("value" in source) data[key] = source.value;
    else if ("random" in source) data[key] = randomToken(source.random.length);
    else {
      const user = data[source.htpasswd.usernameKey];
      const password = data[source.htpasswd.passwordKey];
      if (user === undefined || password === undefined) {
        throw new GeneratedSecretError(
          `Generated Secret "${spec.metadata.name}": key "${key}" needs keys "${source.htpasswd.usernameKey}" and "${source.htpasswd.passwordKey}", which are not defined before it.`,
          "Fix the module: an htpasswd key must name keys listed before it.",
        );
      }
      data[key] = htpasswdLine(user, password);
    }
    added.push(key);
  }
  return { data, added };
}

/** Base64-decodes a live Secret's data. */
export function decodeSecretData(secret: KubeObject | undefined): Record<string, string> {
  const data = (secret?.data ?? {}) as Record<string, string>;
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
}

/** The Secret object to apply, with `labels` merged in and data base64-encoded. */
export function generatedSecretObject(spec: GeneratedSecret, data: Record<string, string>, labels: Record<string, string>): KubeObject {
  const obj: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: spec.metadata.name,
      namespace: spec.metadata.namespace,
      labels: { ...spec.metadata.labels, ...labels },
      ...(spec.metadata.annotations ? { annotations: { ...spec.metadata.annotations } } : {}),
    },
    type: spec.type ?? "Opaque",
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "utf8").toString("base64")])),
  };
  return obj;
}
