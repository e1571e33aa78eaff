/**
 * What the local node runs for a container (localcluster/node/runner/command.ts): Kubernetes' rule for command, args
 * and the image's ENTRYPOINT/CMD, on the official Chroma image's defaults of each family (images.ts), and the env.
 */
import t from "tap";
import { chromaProfile, nginxProfile } from "../../localcluster/node/images.ts";
import { containerArgv, containerEnv } from "../../localcluster/node/runner/command.ts";
import type { ImageProfile } from "../../localcluster/node/runner/host.ts";
import type { Container } from "../../localcluster/node/runner/pod-spec.ts";

const venv = "/venvs/x";
const dumbInit = "/usr/bin/dumb-init";
const sources = { maps: new Map(), secrets: new Map(), podName: "db-0" };

function argv(profile: ImageProfile, c: Partial<Container>, mounts: ReadonlyMap<string, string> = new Map()): string[] {
  const container = { name: "chromadb", image: "ghcr.io/chroma-core/chroma:x", ...c };
  return containerArgv(container, profile, mounts, containerEnv(container, profile, mounts, sources));
}

t.test("Chroma 1.x: ENTRYPOINT dumb-init -- chroma, CMD run /config.yaml", async (t) => {
  const p = chromaProfile(venv, "1.5.3");
  const mounts = new Map([["/config.yaml", "/pod/v1-config/config.yaml"]]);
  t.same(argv(p, {}, mounts), [dumbInit, "--", `${venv}/bin/chroma`, "run", "/pod/v1-config/config.yaml"], "neither: ENTRYPOINT + CMD, the mounted config");
  t.same(
    argv(p, { args: ["run", "/etc/chroma/$(NAME).yaml"], env: [{ name: "NAME", value: "c" }] }),
    [dumbInit, "--", `${venv}/bin/chroma`, "run", "/etc/chroma/c.yaml"],
    "args only: ENTRYPOINT + the args ($(VAR) expanded), no CMD",
  );
  t.same(
    argv(p, { command: ["chroma", "run"], args: ["/x.yaml"] }),
    [`${venv}/bin/chroma`, "run", "/x.yaml"],
    "command + args: the image's ENTRYPOINT and CMD ignored",
  );
  t.same(argv(p, { command: ["chroma"] }), [`${venv}/bin/chroma`], "command alone: no CMD after it");
  t.same(argv(p, { command: [], args: [] }), argv(p, {}), "empty lists are no command and no args");
  t.notMatch(p.env, { CHROMA_HOST_PORT: String }, "1.x has none of the 0.x image's env");
});

t.test("Chroma 0.4.23-0.6.3: the project's entrypoint on the official image's env", async (t) => {
  const p = chromaProfile(venv, "0.6.3");
  const entrypoint = p.programs["/docker_entrypoint.sh"]!;
  t.same(argv(p, {}), [dumbInit, "--", entrypoint], "neither: the entrypoint builds the uvicorn line from the env");
  t.same(
    argv(p, { args: ["uvicorn", "chromadb.app:app", "--port", "$(CHROMA_HOST_PORT)"] }),
    [dumbInit, "--", entrypoint, "uvicorn", "chromadb.app:app", "--port", "8000"],
    "args only: after the entrypoint, $(VAR) from the image env",
  );
  t.same(argv(p, { command: ["uvicorn"], args: ["chromadb.app:app"] }), [`${venv}/bin/uvicorn`, "chromadb.app:app"], "command: the entrypoint ignored");
  t.match(p.env, { CHROMA_HOST_ADDR: "0.0.0.0", CHROMA_HOST_PORT: "8000", CHROMA_WORKERS: "1", CHROMA_TIMEOUT_KEEP_ALIVE: "30" });
  t.notOk("CHROMA_LOG_CONFIG" in p.env, "no log config: the image's is relative to its WORKDIR");
  const env = containerEnv({ name: "c", image: "i", env: [{ name: "CHROMA_HOST_PORT", value: "9000" }] }, p, new Map(), sources);
  t.equal(env["CHROMA_HOST_PORT"], "9000", "the pod's env wins over the image's");
  t.same(argv(chromaProfile(venv, "0.4.23"), {}), [dumbInit, "--", entrypoint], "from 0.4.23 on");
});

t.test("Chroma before 0.4.23: CMD is the entrypoint with the fixed uvicorn line, no ENTRYPOINT", async (t) => {
  const p = chromaProfile(venv, "0.4.22");
  const entrypoint = p.programs["/docker_entrypoint.sh"]!;
  const line = ["uvicorn", "chromadb.app:app", "--workers", "1", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers"];
  t.same(argv(p, {}), [dumbInit, "--", entrypoint, ...line, "--timeout-keep-alive", "30"], "neither: CMD");
  t.same(argv(chromaProfile(venv, "0.4.15"), {}), [dumbInit, "--", entrypoint, ...line], "before 0.4.16: no --timeout-keep-alive");
  t.same(argv(p, { args: ["uvicorn", "chromadb.app:app"] }), [`${venv}/bin/uvicorn`, "chromadb.app:app"], "args only: no ENTRYPOINT, the args are the command");
  t.same(argv(p, { command: ["python"], args: ["-V"] }), [`${venv}/bin/python`, "-V"], "command + args");
  t.notOk("CHROMA_HOST_PORT" in p.env, "no CHROMA_HOST_* env before 0.4.23");
});

t.test("the image's own words are not $(VAR)-expanded, the pod's are", async (t) => {
  const p: ImageProfile = { env: { X: "x" }, programs: { "/bin/sh": "/bin/sh" }, defaults: { entrypoint: ["/bin/sh", "-c"], cmd: ["echo $(X)"] } };
  t.same(argv(p, {}), ["/bin/sh", "-c", "echo $(X)"], "CMD as written");
  t.same(argv(p, { args: ["echo $(X)"] }), ["/bin/sh", "-c", "echo x"], "args expanded");
});

t.test("no command and no known default: refused with the reason", async (t) => {
  t.throws(
    () => argv(nginxProfile(), { name: "proxy", image: "nginx:1.27" }),
    /container proxy: no command, and the local node does not run image nginx:1\.27's own entrypoint .*give the container a command/,
  );
  t.throws(() => argv(nginxProfile(), { args: ["-g", "daemon off;"] }), /no command/, "args alone need the ENTRYPOINT too");
  t.same(argv(nginxProfile(), { command: ["nginx"], args: ["-g", "daemon off;"] }), ["/usr/sbin/nginx", "-g", "daemon off;"]);
  const empty: ImageProfile = { env: {}, programs: {}, defaults: { entrypoint: [], cmd: [] } };
  t.throws(() => argv(empty, { image: "scratch:1" }), /no command \(image scratch:1 has no ENTRYPOINT or CMD\)/);
  t.throws(() => argv(chromaProfile(venv, "1.5.3"), { command: ["nope"] }), /no host program for "nope"/);
});

t.test("env: fieldRef metadata.name and metadata.namespace, the namespace 'default' unless given", async (t) => {
  const c: Container = {
    name: "c",
    image: "i",
    env: [
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "POD_NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
    ],
  };
  const p: ImageProfile = { env: {}, programs: {} };
  t.match(containerEnv(c, p, new Map(), sources), { POD_NAME: "db-0", POD_NS: "default" });
  t.match(containerEnv(c, p, new Map(), { ...sources, namespace: "chroma" }), { POD_NS: "chroma" });
});

t.test("env as the community chart's 0.x pod writes it: envFrom a ConfigMap, a Secret's key, paths rewritten", async (t) => {
  const c: Container = {
    name: "chromadb",
    image: "ghcr.io/chroma-core/chroma:0.6.3",
    envFrom: [{ configMapRef: { name: "chroma-chromadb-token-auth-config" } }, { prefix: "S_", secretRef: { name: "absent", optional: true } }],
    env: [
      { name: "CHROMA_LOG_CONFIG", value: "/chroma/log_config.yaml" },
      { name: "CHROMA_SERVER_AUTHN_CREDENTIALS", valueFrom: { secretKeyRef: { name: "chromadb-auth", key: "token" } } },
      { name: "CHROMA_AUTH_TOKEN_TRANSPORT_HEADER", value: "X-Chroma-Token" },
      { name: "OPTIONAL", valueFrom: { configMapKeyRef: { name: "absent", key: "k", optional: true } } },
    ],
  };
  const data = {
    ...sources,
    maps: new Map([["chroma-chromadb-token-auth-config", { CHROMA_SERVER_AUTHN_PROVIDER: "p", CHROMA_AUTH_TOKEN_TRANSPORT_HEADER: "Authorization" }]]),
    secrets: new Map([["chromadb-auth", { token: "t0k3n" }]]),
  };
  const env = containerEnv(c, chromaProfile(venv, "0.6.3"), new Map([["/chroma/log_config.yaml", "/pod/log-config/log_config.yaml"]]), data);
  t.match(env, {
    CHROMA_SERVER_AUTHN_PROVIDER: "p",
    CHROMA_AUTH_TOKEN_TRANSPORT_HEADER: "X-Chroma-Token",
    CHROMA_SERVER_AUTHN_CREDENTIALS: "t0k3n",
    CHROMA_LOG_CONFIG: "/pod/log-config/log_config.yaml",
  });
  t.notOk("OPTIONAL" in env, "an optional reference that is absent sets nothing");
  t.throws(
    () => containerEnv({ ...c, envFrom: [{ configMapRef: { name: "nope" } }] }, chromaProfile(venv, "0.6.3"), new Map(), data),
    /envFrom ConfigMap nope does not exist/,
  );
  t.throws(
    () =>
      containerEnv(
        { ...c, env: [{ name: "T", valueFrom: { secretKeyRef: { name: "chromadb-auth", key: "nope" } } }] },
        chromaProfile(venv, "0.6.3"),
        new Map(),
        data,
      ),
    /env T: Secret chromadb-auth key nope does not exist/,
  );
});
