import { join } from "node:path";
import t from "tap";
import { chromaProfile, imageKind, missingPrograms, nginxProfile, RUNNABLE_IMAGES } from "../../localcluster/node/images.ts";

t.test("which images the local node runs", async (t) => {
  t.same(imageKind("ghcr.io/chroma-core/chroma:1.5.9"), { kind: "chroma", version: "1.5.9" });
  t.same(imageKind("registry.example/mirror/chroma:0.4.24@sha256:abc"), { kind: "chroma", version: "0.4.24" }, "a digest is dropped");
  t.same(imageKind("localhost:5000/chroma:0.6.3"), { kind: "chroma", version: "0.6.3" }, "a registry port is not a tag");
  t.same(imageKind("ghcr.io/chroma-core/chroma:latest"), { kind: "unknown" }, "only a version tag names a chromadb release");
  t.same(imageKind("ghcr.io/chroma-core/chroma"), { kind: "unknown" }, "no tag");
  t.same(imageKind("docker.io/nginxinc/nginx-unprivileged:1.29-alpine"), { kind: "nginx" });
  t.same(imageKind("nginx"), { kind: "nginx" });
  t.same(imageKind("registry.example/app:1.0"), { kind: "unknown" });
  t.match(RUNNABLE_IMAGES, /chroma:<version>.*nginx/);
});

t.test("profiles: the venv's programs for Chroma, Debian nginx as the rendered user for the proxy", async (t) => {
  const p = chromaProfile("/venvs/1.5.9", "1.5.9");
  t.equal(p.programs["chroma"], join("/venvs/1.5.9", "bin", "chroma"));
  t.equal(p.programs["uvicorn"], "/venvs/1.5.9/bin/uvicorn");
  t.match(p.programs["/docker_entrypoint.sh"], /image\/docker_entrypoint\.sh$/);
  t.match(p.env["PATH"], /^\/venvs\/1\.5\.9\/bin:/);
  t.equal(p.env["CHROMA_VERSION"], "1.5.9");
  t.notOk(p.runAsRenderedUser);
  const n = nginxProfile();
  t.equal(n.programs["nginx"], "/usr/sbin/nginx");
  t.ok(n.runAsRenderedUser);
});

t.test("profiles: the official Chroma image's ENTRYPOINT/CMD by family; none known for nginx", async (t) => {
  t.same(chromaProfile("/v", "1.0.0").defaults, { entrypoint: ["dumb-init", "--", "chroma"], cmd: ["run", "/config.yaml"] });
  t.same(chromaProfile("/v", "0.6.3").defaults, { entrypoint: ["dumb-init", "--", "/docker_entrypoint.sh"], cmd: [] });
  t.same(chromaProfile("/v", "0.4.23").defaults?.cmd, [], "0.4.23 is the first of the entrypoint-with-CMD images");
  t.same(chromaProfile("/v", "0.4.22").defaults?.entrypoint, [], "before: no ENTRYPOINT");
  t.match(chromaProfile("/v", "0.4.16").defaults?.cmd, ["dumb-init", "--", "/docker_entrypoint.sh", "uvicorn", "chromadb.app:app"]);
  t.notOk(nginxProfile().defaults);
});

t.test("the host programs each kind needs", async (t) => {
  // setup.sh installs nginx and dumb-init on this machine.
  t.same(missingPrograms("chroma"), []);
  t.same(missingPrograms("nginx"), []);
  t.same(missingPrograms("unknown"), []);
  t.same(missingPrograms("nginx", { nginx: "/nonexistent/nginx", dumbInit: "/bin/sh", sh: "/bin/sh" }), ["/nonexistent/nginx"]);
});
