/**
 * Which images the local node can run, and the host programs that stand in for each (there are no image pulls):
 *
 * - a Chroma image (`…/chroma:<version>`: the official `ghcr.io/chroma-core/chroma`, this project's image/, a mirror)
 *   → a cached virtualenv of `chromadb==<version>` (installed on first use), with `dumb-init`, `/bin/sh` and the
 *   project's `image/docker_entrypoint.sh`;
 * - an nginx image (`…/nginx…:<tag>`, e.g. the auth proxy's `nginxinc/nginx-unprivileged`) → the machine's nginx,
 *   run as the rendered non-root user when the node runs as root.
 *
 * Anything else cannot run here: the pod stays Pending with an event that says what can.
 */
import { accessSync, constants } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../engine/package-root.ts";
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

/** The Chroma image as the host runs it: the venv's programs on PATH (like /opt/chroma/bin in the image). */
export function chromaProfile(venv: string, version: string): ImageProfile {
  return {
    env: { PATH: `${join(venv, "bin")}:${SYSTEM_PATH}`, CHROMA_VERSION: version, PYTHONUNBUFFERED: "1", LANG: "C.UTF-8" },
    programs: {
      uvicorn: join(venv, "bin", "uvicorn"),
      chroma: join(venv, "bin", "chroma"),
      python: join(venv, "bin", "python"),
      "dumb-init": HOST.dumbInit,
      "/docker_entrypoint.sh": join(packageRoot(), "image", "docker_entrypoint.sh"),
      "/bin/sh": HOST.sh,
    },
  };
}

/** The nginx image as the host runs it: Debian's nginx, as the rendered (non-root) user. */
export function nginxProfile(): ImageProfile {
  return {
    env: { PATH: SYSTEM_PATH, LANG: "C.UTF-8" },
    programs: { "/bin/sh": HOST.sh, sh: HOST.sh, nginx: HOST.nginx },
    runAsRenderedUser: true,
  };
}
