/**
 * Issues the TLS certificate of a generated Secret (core/types.ts `CertificateRequest`): an RSA-2048 CA of its
 * own and a server certificate it signs, SHA-256, with the names as subject alternative names. Keys come from
 * node:crypto; node-forge writes the X.509 (Node.js only parses certificates). Loaded only when a Secret asks for
 * a certificate, so `build` and most applies never read it.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import forge from "node-forge";
import type { CertificateRequest } from "../../core/types.ts";

const day = 86_400_000;

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString()),
    privateKey: forge.pki.privateKeyFromPem(pem),
    pem,
  };
}

/** A positive serial number of 16 random bytes (RFC 5280: at most 20 octets, non-negative). */
const serial = () => `01${randomBytes(15).toString("hex")}`;

/** `ca.crt`, `tls.crt` and `tls.key`, PEM. */
export function issueCertificate(request: CertificateRequest, now = new Date()): Record<"ca.crt" | "tls.crt" | "tls.key", string> {
  const caKeys = keyPair();
  const ca = forge.pki.createCertificate();
  ca.publicKey = caKeys.publicKey;
  ca.serialNumber = serial();
  ca.validity.notBefore = new Date(now.getTime() - 300_000);
  ca.validity.notAfter = new Date(now.getTime() + 3650 * day);
  const caName = [{ name: "commonName", value: `${request.commonName} CA (chroma-mod)` }];
  ca.setSubject(caName);
  ca.setIssuer(caName);
  ca.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const keys = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = ca.validity.notBefore;
  cert.validity.notAfter = new Date(now.getTime() + request.days * day);
  cert.setSubject([{ name: "commonName", value: request.commonName }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    { name: "subjectAltName", altNames: [...request.dnsNames.map((value) => ({ type: 2, value })), ...request.ipAddresses.map((ip) => ({ type: 7, ip }))] },
    { name: "authorityKeyIdentifier", keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());
  return { "ca.crt": forge.pki.certificateToPem(ca), "tls.crt": forge.pki.certificateToPem(cert), "tls.key": keys.pem };
}

/** The certificate issuer, for fillSecretData. */
export type IssueCertificate = typeof issueCertificate;
