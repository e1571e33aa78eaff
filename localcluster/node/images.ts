/**
 * Which images the local node can run, and the host programs that stand in for each (there are no image pulls):
 *
 * - a Chroma image (`…/chroma:<version>`: the official `ghcr.io/chroma-core/chroma`, this project's image/, a mirror)
 *   → a cached virtualenv of `chromadb==<version>` (installed on first use), with `dumb-init`, `/bin/sh` and the
 *   project's `image/docker_entrypoint.sh`; a container without a command runs the official image's default
 *   (`chromaDefaults`);
 * - an nginx image (`…/nginx…:<tag>`, e.g. the auth proxy's `nginxinc/nginx-unprivileged`) → the machine's nginx,
 *   run as the rendered non-root user when the node runs as root; only with a command (the image's entrypoint
 *   scripts and default config are not the host's).
 *
 * Anything else cannot run here: the pod stays Pending with an event that says what can.
 */
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../engine/package-root.ts";
import type { ImageDefaults } from "./runner/host.ts";
import type { ImageProfile } from "./runner/pod-runner.ts";

export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/** What the node says it can run (in the event of a pod it cannot). */
export const RUNNABLE_IMAGES =
  "Chroma images (<registry>/…/chroma:<version>, run from a chromadb==<version> virtualenv) and nginx images (run with this machine's nginx)";

export type ImageKind = { kind: "chroma"; version: string } | { kind: "nginx" } | { kind: "unknown" };

/** The image's repository (registry/path) and tag, a digest dropped: `a/b:1@sha256:…` → `a/b`, `1`. */
function parse(image: string): { name: string; tag: string | undefined } {
  const noDigest = image.split("@")[0]!;
  const slash = noDigest.lastIndexOf("/");
  const colon = noDigest.lastIndexOf(":");
  return colon > slash ? { name: noDigest.slice(0, colon), tag: noDigest.slice(colon + 1) } : { name: noDigest, tag: undefined };
}

export function imageKind(image: string): ImageKind {
  const { name, tag } = parse(image);
  const last = name.slice(name.lastIndexOf("/") + 1);
  if (last === "chroma" && tag && /^\d+\.\d+\.\d+$/.test(tag)) return { kind: "chroma", version: tag };
  if (last.includes("nginx")) return { kind: "nginx" };
  return { kind: "unknown" };
}

/** Host programs the profiles use; `missingPrograms` names those this machine lacks. */
const HOST = { nginx: "/usr/sbin/nginx", dumbInit: "/usr/bin/dumb-init", sh: "/bin/sh" } as const;

export function missingPrograms(kind: ImageKind["kind"], host: { readonly [K in keyof typeof HOST]: string } = HOST): string[] {
  const needed = kind === "chroma" ? [host.dumbInit, host.sh] : kind === "nginx" ? [host.nginx, host.sh] : [];
  return needed.filter((p) => {
    try {
      accessSync(p, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
}

/** `version` (x.y.z) is at least `least`. */
function atLeast(version: string, least: readonly [number, number, number]): boolean {
  const v = version.split(".").map(Number);
  const first = least.findIndex((n, i) => v[i] !== n);
  return first < 0 || v[first]! > least[first]!;
}

/**
 * The official Chroma image's default command and the ENV it rests on, as the host runs them (DESIGN.md, "How the
 * server starts"), for a container without a command:
 *
 * - 1.x: ENTRYPOINT `dumb-init -- chroma`, CMD `run /config.yaml` (a pod mounts its config there; the image's own
 *   file is not on the host);
 * - 0.4.23–0.6.3: ENTRYPOINT `/docker_entrypoint.sh` with the CMD `--workers ${CHROMA_WORKERS} --host … --port …
 *   --proxy-headers --log-config ${CHROMA_LOG_CONFIG} --timeout-keep-alive …`, which it runs after
 *   `uvicorn chromadb.app:app`, on the image's ENV. Here: ENTRYPOINT `dumb-init -- /docker_entrypoint.sh` (the
 *   project's, which builds that line from the same ENV when it has no arguments), no CMD, and the ENV but
 *   CHROMA_LOG_CONFIG (the image's is relative to its WORKDIR, absent here; the project's entrypoint then leaves
 *   --log-config out). Args given without a command run as the project's entrypoint runs them: as a command (the
 *   official one puts `uvicorn chromadb.app:app` before args that do not start with uvicorn);
 * - before 0.4.23: no ENTRYPOINT, CMD `/docker_entrypoint.sh`, which ran the fixed line below (--timeout-keep-alive
 *   from 0.4.16; its --log-config file is the image's, left out).
 *
 * The official entrypoints also export IS_PERSISTENT=1 whatever the pod says; the project's does not, so a pod
 * that relies on that sets it (the community chart does).
 */
function chromaDefaults(version: string): { env: Record<string, string>; defaults: ImageDefaults } {
  if (atLeast(version, [1, 0, 0])) return { env: {}, defaults: { entrypoint: ["dumb-init", "--", "chroma"], cmd: ["run", "/config.yaml"] } };
  if (atLeast(version, [0, 4, 23]))
    return {
      env: { CHROMA_HOST_ADDR: "0.0.0.0", CHROMA_HOST_PORT: "8000", CHROMA_WORKERS: "1", CHROMA_TIMEOUT_KEEP_ALIVE: "30" },
      defaults: { entrypoint: ["dumb-init", "--", "/docker_entrypoint.sh"], cmd: [] },
    };
  const keepAlive = atLeast(version, [0, 4, 16]) ? ["--timeout-keep-alive", "30"] : [];
  const server = ["uvicorn", "chromadb.app:app", "--workers", "1", "--host", "0.0.0.0", "--port", "8000", "--proxy-headers", ...keepAlive];
  return { env: {}, defaults: { entrypoint: [], cmd: ["dumb-init", "--", "/docker_entrypoint.sh", ...server] } };
}

/** The Chroma image as the host runs it: the venv's programs on PATH (like /opt/chroma/bin in the image). */
export function chromaProfile(venv: string, version: string): ImageProfile {
  const { env, defaults } = chromaDefaults(version);
  return {
    env: { ...env, PATH: `${join(venv, "bin")}:${SYSTEM_PATH}`, CHROMA_VERSION: version, PYTHONUNBUFFERED: "1", LANG: "C.UTF-8" },
    programs: {
      uvicorn: join(venv, "bin", "uvicorn"),
      chroma: join(venv, "bin", "chroma"),
      python: join(venv, "bin", "python"),
      "dumb-init": HOST.dumbInit,
      "/docker_entrypoint.sh": join(packageRoot(), "image", "docker_entrypoint.sh"),
      "/bin/sh": HOST.sh,
    },
    defaults,
  };
}

/**
 * The nginx image as the host runs it: Debian's nginx, as the rendered (non-root) user. No default command: the
 * image's (`/docker-entrypoint.sh nginx -g "daemon off;"`) would run its entrypoint scripts and its
 * /etc/nginx/nginx.conf, and the host has neither.
 */
export function nginxProfile(): ImageProfile {
  return {
    env: { PATH: SYSTEM_PATH, LANG: "C.UTF-8" },
    programs: { "/bin/sh": HOST.sh, sh: HOST.sh, nginx: HOST.nginx },
    runAsRenderedUser: true,
  };
}
