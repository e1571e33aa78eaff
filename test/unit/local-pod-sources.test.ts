/**
 * What the local node's agent reads for a pod (localcluster/node/pod-sources.ts), on a stand-in client: the
 * ConfigMaps a projected volume names, and its service account token, requested as the kubelet does (TokenRequest,
 * bound to the pod).
 */
import t from "tap";
import type { KubeClient, RawRequest } from "../../engine/kube/client.ts";
import type { Pod } from "../../localcluster/node/kube.ts";
import { podSources, podTokens } from "../../localcluster/node/pod-sources.ts";

function pod(serviceAccountName?: string): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "chroma-chromadb-0", namespace: "chroma", uid: "u-1" },
    spec: {
      ...(serviceAccountName ? { serviceAccountName } : {}),
      containers: [{ name: "chromadb", image: "ghcr.io/chroma-core/chroma:1.5.3" }],
      volumes: [
        {
          name: "kube-api-access-x",
          projected: {
            sources: [
              { serviceAccountToken: { expirationSeconds: 3607, path: "token" } },
              { serviceAccountToken: { path: "again" } },
              { serviceAccountToken: { path: "vault", audience: "vault" } },
              { configMap: { name: "kube-root-ca.crt" } },
              { secret: { name: "extra" } },
            ],
          },
        },
      ],
    },
  };
}

function client(answer: (req: RawRequest) => { status: number; body: unknown }) {
  const requests: RawRequest[] = [];
  const gets: string[] = [];
  const fake = {
    raw: async (req: RawRequest) => {
      requests.push(req);
      return answer(req);
    },
    get: async (ref: { kind: string; name: string }) => {
      gets.push(`${ref.kind}/${ref.name}`);
      return ref.kind === "ConfigMap" ? { data: { "ca.crt": "CA" } } : { data: { k: Buffer.from("v").toString("base64") } };
    },
  };
  return { client: fake as unknown as KubeClient, requests, gets };
}

t.test("one token per audience, from the pod's service account, bound to the pod", async (t) => {
  const c = client((req) => ({
    status: 201,
    body: { status: { token: `token-for-${(req.body as { spec: { audiences: string[] } }).spec.audiences.join(",")}` } },
  }));
  const { tokens, failed } = await podTokens(c.client, pod("chroma-chromadb"));
  t.notOk(failed);
  t.same(
    [...tokens],
    [
      ["", "token-for-"],
      ["vault", "token-for-vault"],
    ],
  );
  t.equal(c.requests.length, 2, "the same audience twice is one request");
  t.match(c.requests[0], {
    method: "POST",
    path: "/api/v1/namespaces/chroma/serviceaccounts/chroma-chromadb/token",
    body: { kind: "TokenRequest", spec: { audiences: [], expirationSeconds: 3607, boundObjectRef: { kind: "Pod", name: "chroma-chromadb-0", uid: "u-1" } } },
  });
  t.match(c.requests[1], { body: { spec: { audiences: ["vault"], expirationSeconds: 3607 } } }, "the default expiration");
});

t.test("a refused request says why; the default service account without serviceAccountName", async (t) => {
  const c = client(() => ({ status: 404, body: { message: 'serviceaccounts "default" not found' } }));
  const { tokens, failed } = await podTokens(c.client, pod());
  t.equal(tokens.size, 0);
  t.equal(failed, `cannot request a token of service account chroma/default for volume kube-api-access-x: serviceaccounts "default" not found`);
  const silent = client(() => ({ status: 500, body: "" }));
  t.match((await podTokens(silent.client, pod())).failed, /: HTTP 500$/);
});

t.test("podSources reads the ConfigMaps and Secrets a projected volume names", async (t) => {
  const c = client(() => ({ status: 500, body: "" }));
  const { maps, secrets } = await podSources(c.client, pod());
  t.same(c.gets, ["ConfigMap/kube-root-ca.crt", "Secret/extra"]);
  t.same(maps.get("kube-root-ca.crt"), { "ca.crt": "CA" });
  t.same(secrets.get("extra"), { k: "v" });
});
