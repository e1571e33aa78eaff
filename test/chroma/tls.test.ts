/**
 * TLS on every version (issue 12), on real servers started from the rendered pod: the proxy sidecar serves the API
 * port with the certificate `apply` issues (`tls.generate`, filled by the engine's own issuer) or the user's own
 * (`tls.secretName`). The version's Python client (and on 1.x the npm client) connects over HTTPS verifying the
 * CA and does a real create/add/query with the token; a client that trusts another CA fails; plain HTTP to the
 * port is refused by nginx; the certificate's names are the Service's; TLS 1.1 is refused; auth still holds. The
 * pod became ready through its probes, which go over HTTPS.
 */
import t, { type Test } from "tap";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type PeerCertificate } from "node:tls";
import { issueCertificate } from "../../engine/apply/certificate.ts";
import { cleanups, prerequisites, withStarted } from "./auth-checks.ts";
import { preparePod, type ServedPod } from "./auth-tokens.ts";
import { authErrorPattern, pythonClient } from "./harness.ts";
import { npmCrudTls } from "./clients/npm-client.ts";

const dir = mkdtempSync(join(tmpdir(), "chroma-mod-tls-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
/** A CA the server's certificate was not issued by. */
const otherCa = file("other-ca.crt", issueCertificate({ commonName: "other", dnsNames: ["other"], ipAddresses: [], days: 1 })["ca.crt"]);

/** The server's certificate and the protocol negotiated, or the handshake's error. */
function handshake(
  port: number,
  options: { ca?: string; maxVersion?: "TLSv1.1" | "TLSv1.3" } = {},
): Promise<{ cert: PeerCertificate; protocol: string | null }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false, ...options }, () => {
      const result = { cert: socket.getPeerCertificate(), protocol: socket.getProtocol() };
      socket.end();
      resolve(result);
    });
    socket.once("error", reject);
  });
}

async function checkTls(t: Test, version: string, pod: ServedPod, ca: string, token: string | undefined): Promise<void> {
  const auth = token ? ({ kind: "token", header: "Authorization", token } as const) : null;
  const results = await pythonClient(
    version,
    pod.port,
    [
      { name: "right", op: "crud", collection: "tls_right", auth },
      ...(token ? [{ name: "no-token", op: "crud" as const, collection: "tls_none", auth: null }] : []),
    ],
    { tlsCa: ca },
  );
  t.same(results.get("right")!.result, { count: 3, nearest: ["a", "b"] }, "the Python client over HTTPS, verifying the CA: create/add/query", {
    error: results.get("right")!.error,
  });
  if (token) t.match(results.get("no-token")!.error ?? "", authErrorPattern, "over HTTPS without the token: still refused");
  const wrong = (await pythonClient(version, pod.port, [{ name: "wrong-ca", op: "crud", collection: "tls_wrong", auth }], { tlsCa: otherCa })).get("wrong-ca")!;
  t.notOk(wrong.ok, "a client that trusts another CA: refused");
  // The clients wrap it ("Could not connect to a Chroma server"): the certificate error is in the trace.
  t.match(`${wrong.error}\n${wrong.trace}`, /CERTIFICATE_VERIFY_FAILED|certificate verify failed/, "…with a certificate error", { error: wrong.error });

  const plain = await fetch(`http://127.0.0.1:${pod.port}/api/v2/heartbeat`);
  t.equal(plain.status, 400, "plain HTTP to the TLS port: refused (400), never served");
  t.match(await plain.text(), /The plain HTTP request was sent to HTTPS port/);

  const { cert, protocol } = await handshake(pod.port);
  t.equal(protocol, "TLSv1.3", "TLS 1.3 negotiated");
  const names = (cert.subjectaltname ?? "").split(", ");
  const service = pod.instance.objects.find((o) => o.kind === "Service")!.metadata;
  for (const name of [
    service.name,
    `${service.name}.${service.namespace}`,
    `${service.name}.${service.namespace}.svc`,
    `${service.name}.${service.namespace}.svc.cluster.local`,
    "localhost",
  ])
    t.ok(names.includes(`DNS:${name}`), `the certificate names ${name}`);
  t.ok(names.includes("IP Address:127.0.0.1"), "and 127.0.0.1");
  await t.rejects(handshake(pod.port, { maxVersion: "TLSv1.1" }), /protocol|version|alert/i, "TLS 1.1: refused");
}

const versions = ["0.4.8", "0.4.24", "0.5.23", "0.6.3", "1.0.21", "1.5.9"] as const;

for (const version of versions) {
  if (!prerequisites(version)) continue;
  await t.test(`Chroma ${version}: tls.generate with token auth`, async (t) => {
    const pod = await preparePod(version, { chromadb: { auth: { enabled: true, type: "token" } }, tls: { generate: true } });
    cleanups.push(pod);
    const secrets = [...pod.runner.secrets.entries()];
    const tls = secrets.find(([name]) => name.endsWith("-tls"))![1];
    const token = secrets.find(([name]) => name.endsWith("-auth"))![1].token!;
    const ca = file(`${version}-ca.crt`, tls["ca.crt"]!);
    await withStarted(t, pod, async () => {
      await checkTls(t, version, pod, ca, token);
      if (version.startsWith("1.")) {
        const js = await npmCrudTls(pod.port, { Authorization: `Bearer ${token}` }, "tls_js", ca);
        t.same(js, { count: 3, nearest: ["a", "b"] }, "the npm client 3.x over HTTPS, trusting the CA: create/add/query");
        // The client reports no cause ("Failed to connect to chromadb"): the only difference from the call above is the CA.
        await t.rejects(
          npmCrudTls(pod.port, { Authorization: `Bearer ${token}` }, "tls_js_wrong", otherCa),
          /ChromaConnectionError|certificate|UNABLE_TO_VERIFY/,
          "…and refused when it trusts another CA",
        );
      }
    });
  });
}

if (prerequisites("1.5.9")) {
  await t.test("Chroma 1.5.9: tls.secretName (the user's certificate), no auth: the proxy serves TLS only", async (t) => {
    const issued = issueCertificate({ commonName: "mine", dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"], days: 30 });
    const pod = await preparePod("1.5.9", { chromadb: { auth: { enabled: false } }, tls: { secretName: "my-tls" } });
    cleanups.push(pod);
    t.same(pod.instance.generatedSecrets, [], "nothing generated: the Secret is the user's");
    pod.runner.secrets.set("my-tls", { "tls.crt": issued["tls.crt"], "tls.key": issued["tls.key"] });
    await withStarted(t, pod, async () => {
      const r = (
        await pythonClient("1.5.9", pod.port, [{ name: "open", op: "crud", collection: "tls_open", auth: null }], { tlsCa: file("mine.crt", issued["ca.crt"]) })
      ).get("open")!;
      t.same(r.result, { count: 3, nearest: ["a", "b"] }, "no auth: the client needs only the CA", { error: r.error });
      const { cert } = await handshake(pod.port);
      t.match(cert.subject, { CN: "mine" }, "the proxy serves the user's certificate");
    });
  });
}
