import t from "tap";
import bcrypt from "bcryptjs";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { issueCertificate } from "../../engine/apply/certificate.ts";
import {
  certificateIssuer,
  decodeSecretData,
  fillSecretData,
  GeneratedSecretError,
  generatedSecretObject,
  htpasswdLine,
  randomToken,
} from "../../engine/apply/generated.ts";

const spec = {
  metadata: { name: "creds", namespace: "ns", labels: { a: "1" } },
  generate: {
    username: { value: "admin" },
    password: { random: { length: 24 } },
    htpasswd: { htpasswd: { usernameKey: "username", passwordKey: "password" } },
  },
};

t.test("randomToken", async (t) => {
  const s = randomToken(200);
  t.equal(s.length, 200);
  t.match(s, /^[A-Za-z0-9]+$/);
  t.not(randomToken(32), randomToken(32));
});

t.test("htpasswd line is user:$2b$10$ bcrypt", async (t) => {
  const line = htpasswdLine("u", "p", 4);
  t.match(line, /^u:\$2b\$04\$/);
  t.ok(bcrypt.compareSync("p", line.slice(2)));
});

t.test("fillSecretData generates missing keys only, in order", async (t) => {
  const first = fillSecretData(spec, {});
  t.same(first.added, ["username", "password", "htpasswd"]);
  t.equal(first.data.username, "admin");
  t.match(first.data.password, /^[A-Za-z0-9]{24}$/);
  t.ok(bcrypt.compareSync(first.data.password as string, (first.data.htpasswd as string).slice("admin:".length)));
  const again = fillSecretData(spec, first.data);
  t.same(again, { data: first.data, added: [] }, "existing keys never change");
  const partial = fillSecretData(spec, { password: "keep", extra: "x" });
  t.same(partial.added, ["username", "htpasswd"]);
  t.equal(partial.data.password, "keep");
  t.equal(partial.data.extra, "x");
  t.throws(() => fillSecretData({ metadata: spec.metadata, generate: { h: { htpasswd: { usernameKey: "u", passwordKey: "p" } } } }, {}), {
    name: "GeneratedSecretError",
  });
  t.type(new GeneratedSecretError("m", "h"), Error);
});

t.test("Secret object and decoding", async (t) => {
  const obj = generatedSecretObject(spec, { k: "välue" }, { owner: "me" });
  t.same(obj.metadata, { name: "creds", namespace: "ns", labels: { a: "1", owner: "me" } });
  t.equal(obj.type, "Opaque");
  t.same(decodeSecretData(obj), { k: "välue" });
  t.same(decodeSecretData(undefined), {});
  const typed = generatedSecretObject(
    { ...spec, type: "kubernetes.io/basic-auth", metadata: { ...spec.metadata, annotations: { "chroma-mod.io/keep": "true" } } },
    {},
    {},
  );
  t.equal(typed.type, "kubernetes.io/basic-auth");
  t.same(typed.metadata.annotations, { "chroma-mod.io/keep": "true" });
});

t.test("a certificate: a CA and a server certificate it signed, issued once, all three parts anew when one is missing", async (t) => {
  const request = { commonName: "vec.ns.svc", dnsNames: ["vec", "vec.ns.svc", "localhost"], ipAddresses: ["127.0.0.1"], days: 30 };
  const tls = { metadata: { name: "vec-tls", namespace: "ns" }, type: "kubernetes.io/tls", generate: {}, certificate: request };
  t.throws(() => fillSecretData(tls, {}), /asks for a certificate; pass certificateIssuer's issuer/, "the issuer is loaded by the caller");
  t.equal(await certificateIssuer([spec]), undefined, "no certificate asked: node-forge is not loaded");
  const issue = (await certificateIssuer([spec, tls]))!;
  const first = fillSecretData(tls, {}, issue);
  t.same(first.added, ["ca.crt", "tls.crt", "tls.key"]);
  const ca = new X509Certificate(first.data["ca.crt"]!);
  const cert = new X509Certificate(first.data["tls.crt"]!);
  t.ok(ca.ca, "ca.crt is a CA");
  t.notOk(cert.ca, "tls.crt is not");
  t.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey), "tls.crt is issued and signed by ca.crt");
  t.equal(cert.subjectAltName, "DNS:vec, DNS:vec.ns.svc, DNS:localhost, IP Address:127.0.0.1");
  t.match(cert.subject, "CN=vec.ns.svc");
  t.ok(cert.checkPrivateKey(createPrivateKey(first.data["tls.key"]!)), "tls.key is tls.crt's key");
  const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
  t.ok(days > 30 && days < 30.01, `valid for the days asked (${days.toFixed(3)}, from 5 minutes back)`);
  t.match(cert.keyUsage ?? [], ["1.3.6.1.5.5.7.3.1"], "for server auth");
  t.same(fillSecretData(tls, first.data, issue), { data: first.data, added: [] }, "issued once: kept as it is");
  const partial = fillSecretData(tls, { "tls.crt": first.data["tls.crt"]!, "tls.key": first.data["tls.key"]! }, issue);
  t.same(partial.added, ["ca.crt"], "a missing part: reported");
  t.not(partial.data["tls.crt"], first.data["tls.crt"], "and all three issued anew, so they match each other");
  t.ok(new X509Certificate(partial.data["tls.crt"]!).checkIssued(new X509Certificate(partial.data["ca.crt"]!)));
  t.not(issueCertificate(request)["ca.crt"], first.data["ca.crt"], "every issue is a new CA");
});
