/**
 * File volumes of the local node's pod runner (localcluster/node/runner/volumes.ts): a ConfigMap volume with
 * subPath and defaultMode (the community chart's config mounts), and the projected volume the API server's
 * ServiceAccount admission adds to every pod that mounts a token (token, CA, namespace).
 */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import type { PodData, Volume } from "../../localcluster/node/runner/pod-spec.ts";
import { containerMounts, writeFileVolumes } from "../../localcluster/node/runner/volumes.ts";
import { kubeApiAccessVolume } from "../fixtures/kube-api-access.ts";

const data: PodData = {
  maps: new Map<string, Record<string, string>>([
    ["v1-config", { "config.yaml": "persist_path: /data\nport: 8000\n" }],
    ["kube-root-ca.crt", { "ca.crt": "-----BEGIN CERTIFICATE-----\n/data\n" }],
  ]),
  secrets: new Map([["s", { a: "1" }]]),
  podName: "chroma-chromadb-0",
  namespace: "chroma",
  tokens: new Map([["", "header.payload.sig"]]),
};

/** The volume the ServiceAccount admission plugin adds (kube-api-access-*), as the API server writes it. */
const serviceAccountVolume: Volume = kubeApiAccessVolume("kube-api-access-x7k2p");

function mount(volumes: Volume[], mounts: { name: string; mountPath: string; subPath?: string }[], pod: PodData = data) {
  const dir = mkdtempSync(join(tmpdir(), "volumes-"));
  const byName = new Map(volumes.map((v) => [v.name, v]));
  const m = containerMounts({ name: "chromadb", image: "i", volumeMounts: mounts }, new Map([["data", "/host/pvc"]]), byName, dir);
  writeFileVolumes(m.fileVolumes, m.mounts, pod);
  return m.mounts;
}

t.test("a ConfigMap file by subPath, mode and mount paths in its text rewritten", async (t) => {
  const mounts = mount(
    [{ name: "v1-config", configMap: { name: "v1-config", defaultMode: 0o600 } }],
    [
      { name: "v1-config", mountPath: "/config.yaml", subPath: "config.yaml" },
      { name: "data", mountPath: "/data" },
    ],
  );
  const file = mounts.get("/config.yaml")!;
  t.equal(readFileSync(file, "utf8"), "persist_path: /host/pvc\nport: 8000\n");
  t.equal(statSync(file).mode & 0o777, 0o600);
});

t.test("the ServiceAccount admission's projected volume: token, CA and namespace files", async (t) => {
  const dir = mount([serviceAccountVolume], [{ name: "kube-api-access-x7k2p", mountPath: "/var/run/secrets/kubernetes.io/serviceaccount" }]).get(
    "/var/run/secrets/kubernetes.io/serviceaccount",
  )!;
  t.equal(readFileSync(join(dir, "token"), "utf8"), "header.payload.sig");
  t.equal(readFileSync(join(dir, "ca.crt"), "utf8"), "-----BEGIN CERTIFICATE-----\n/data\n", "projected files are written as they are");
  t.equal(readFileSync(join(dir, "namespace"), "utf8"), "chroma");
  t.equal(statSync(join(dir, "token")).mode & 0o777, 0o644, "defaultMode 420");
});

t.test("projected sources: Secrets, items' modes, optional sources, pod name; what cannot be written", async (t) => {
  const volume = (sources: NonNullable<Volume["projected"]>["sources"]): Volume[] => [{ name: "p", projected: { sources } }];
  const at = [{ name: "p", mountPath: "/p" }];
  const dir = mount(
    volume([
      { secret: { name: "s", items: [{ key: "a", path: "sub/a", mode: 0o400 }] } },
      { secret: { name: "absent", optional: true } },
      { configMap: { name: "absent", optional: true } },
      { downwardAPI: { items: [{ path: "name", fieldRef: { fieldPath: "metadata.name" }, mode: 0o440 }] } },
      { serviceAccountToken: { path: "aud-token", audience: "vault" } },
      {},
    ]),
    at,
    { ...data, tokens: new Map([["vault", "v.t.s"]]) },
  ).get("/p")!;
  t.equal(readFileSync(join(dir, "sub/a"), "utf8"), "1");
  t.equal(statSync(join(dir, "sub/a")).mode & 0o777, 0o400);
  t.equal(readFileSync(join(dir, "name"), "utf8"), "chroma-chromadb-0");
  t.equal(statSync(join(dir, "name")).mode & 0o777, 0o440);
  t.equal(readFileSync(join(dir, "aud-token"), "utf8"), "v.t.s");
  t.throws(() => mount(volume([{ configMap: { name: "nope" } }]), at), /volume p: ConfigMap nope does not exist/);
  t.throws(() => mount(volume([{ secret: { name: "nope" } }]), at), /volume p: Secret nope does not exist/);
  t.throws(() => mount(volume([{ secret: { name: "s", items: [{ key: "b", path: "b" }] } }]), at), /volume p: key b is missing/);
  t.throws(
    () => mount(volume([{ downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } }]), at),
    /downwardAPI labels: only metadata.name and metadata.namespace/,
  );
  t.throws(() => mount(volume([{ downwardAPI: { items: [{ path: "cpu" }] } }]), at), /downwardAPI cpu/);
  t.throws(
    () => mount(volume([{ serviceAccountToken: { path: "t" } }]), at, { ...data, tokens: new Map() }),
    /volume p: no service account token was issued for the pod/,
  );
  t.throws(() => mount(volume([{ serviceAccountToken: { path: "t", audience: "x" } }]), at), /no service account token for audience x was issued/);
});
