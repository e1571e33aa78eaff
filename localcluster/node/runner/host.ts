/**
 * How the host stands in for the pod's images and users: an image profile (the image's env, programs and default
 * command), the user each container runs as, and the kubelet's fsGroup preparation of the writable volumes.
 *
 * Containers of the proxy image run as the rendered runAsUser/runAsGroup when the runner is root (fsGroup is
 * emulated by chgrp + setgid on the writable volumes), like the non-root pod; containers whose programs live in
 * a venv under the (0700) home of the test user run as that user.
 */
import { chmodSync, chownSync } from "node:fs";
import type { Container, PodSpec } from "./pod-spec.ts";

/** How the host stands in for a container image. */
export interface ImageProfile {
  /** The image's own environment (PATH, …); the container's env is applied on top, as in Kubernetes. */
  readonly env: Readonly<Record<string, string>>;
  /** Program name (as written in command/args) → host executable. */
  readonly programs: Readonly<Record<string, string>>;
  /**
   * The image's ENTRYPOINT and CMD as the host runs them (written like command/args, mapped through `programs`),
   * for a container without `command`; absent when the node does not know the image's default command.
   */
  readonly defaults?: ImageDefaults;
  /** Run as the rendered runAsUser/runAsGroup (only possible when the runner is root). */
  readonly runAsRenderedUser?: boolean;
}

/** An image's ENTRYPOINT and CMD (either may be empty, as in an image). */
export interface ImageDefaults {
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
}

export interface HostUser {
  readonly uid: number;
  readonly gid: number;
}

export interface PodIdentity {
  /** The rendered user of a container whose profile asks for it, when the runner is root; otherwise the runner's. */
  runAs(c: Container): HostUser | undefined;
  /** fsGroup emulation: group-owned, group-writable, setgid, as the kubelet prepares emptyDirs and PVCs. */
  shareDir(dir: string): void;
  readonly fsGroup: number | undefined;
}

export function podIdentity(spec: PodSpec, profileOf: (c: Container) => ImageProfile): PodIdentity {
  const podUid = spec.securityContext?.runAsUser;
  const podGid = spec.securityContext?.runAsGroup;
  const fsGroup = spec.securityContext?.fsGroup;
  const iAmRoot = process.getuid?.() === 0;

  const runAs = (c: Container): HostUser | undefined => {
    if (!profileOf(c).runAsRenderedUser || !iAmRoot) return undefined;
    const uid = c.securityContext?.runAsUser ?? podUid;
    const gid = c.securityContext?.runAsGroup ?? podGid ?? uid;
    return uid === undefined ? undefined : { uid, gid: gid! };
  };
  const anyNonRoot = spec.containers.some((c) => runAs(c) !== undefined);
  const shareDir = (dir: string) => {
    if (iAmRoot && anyNonRoot && fsGroup !== undefined) {
      chownSync(dir, 0, fsGroup);
      chmodSync(dir, 0o2775);
    }
  };
  return { runAs, shareDir, fsGroup };
}
