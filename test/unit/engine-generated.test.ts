import t from "tap";
import bcrypt from "bcryptjs";
import { decodeSecretData, fillSecretData, GeneratedSecretError, generatedSecretObject, htpasswdLine, randomToken } from "../../engine/apply/generated.ts";

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
