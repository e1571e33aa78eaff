/**
 * A pod's own network: a network namespace per pod, so every pod listens where its manifest says (8000, 8001, …)
 * and two instances side by side do not collide. The namespace is held by a small process (forwarder.mjs, the
 * pod's "pause" process) that also lets the host reach the pod's ports through a Unix socket. Containers join the
 * namespace with `nsenter`; as root, nsenter then switches to the container's user. Without root, the namespace is
 * made inside a user namespace (`unshare --user --map-root-user`), and containers run as the invoking user.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { connect as netConnect, type Socket } from "node:net";
import { join } from "node:path";
import { packageRoot } from "../../engine/package-root.ts";
import { SYSTEM_PATH } from "./images.ts";
import type { PodNetwork } from "./runner/pod-runner.ts";
import type { HostUser } from "./runner/host.ts";

/** A util-linux program by absolute path (a container's PATH is its image's, not the host's). */
function program(name: string): string {
  return [`/usr/bin/${name}`, `/bin/${name}`].find((p) => existsSync(p)) ?? name;
}

export class Sandbox implements PodNetwork {
  private constructor(
    private readonly child: ChildProcess,
    readonly socketPath: string,
    private readonly userns: boolean,
  ) {}

  /** Starts the namespace's process; resolves once its socket listens. */
  static async create(dir: string): Promise<Sandbox> {
    const socketPath = join(dir, "net.sock");
    rmSync(socketPath, { force: true });
    const userns = process.getuid?.() !== 0;
    const args = [
      "--net",
      ...(userns ? ["--user", "--map-root-user"] : []),
      "--",
      "/bin/sh",
      "-c",
      'ip link set lo up && exec "$0" "$@"',
      process.execPath,
      join(packageRoot(), "localcluster", "node", "forwarder.mjs"),
      socketPath,
    ];
    const child = spawn(program("unshare"), args, { stdio: ["ignore", "pipe", "pipe"], env: { PATH: SYSTEM_PATH }, detached: true });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`cannot make the pod's network namespace (unshare ${args.slice(0, 3).join(" ")}): ${why}`));
      child.on("error", (e) => fail(e.message));
      child.on("exit", (code, signal) => fail(`exited (${signal ?? `code ${code}`}): ${output.trim()}`));
      child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
      child.stdout!.on("data", (c: Buffer) => {
        output += c.toString();
        if (output.includes("ready\n")) resolve();
      });
    });
    child.removeAllListeners("exit");
    child.unref();
    (child.stdout as Socket).unref?.();
    (child.stderr as Socket).unref?.();
    return new Sandbox(child, socketPath, userns);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * nsenter into the pod's network, then a PID namespace of the container's own (`unshare --pid --fork`: when its
   * first process ends, the kernel ends the rest, as when a container's main process exits; killing `unshare` kills
   * it), then (as root) the container's user.
   */
  readonly entry = (user: HostUser | undefined): string[] => {
    const ns = `/proc/${this.pid}/ns`;
    return [
      program("nsenter"),
      `--net=${ns}/net`,
      ...(this.userns ? [`--user=${ns}/user`, "--preserve-credentials"] : []),
      "--",
      program("unshare"),
      "--pid",
      "--fork",
      "--kill-child=SIGKILL",
      "--",
      ...(user && !this.userns ? [program("setpriv"), `--reuid=${user.uid}`, `--regid=${user.gid}`, "--clear-groups", "--"] : []),
    ];
  };

  /**
   * A connection to 127.0.0.1:`port` inside the pod: resolves once that port accepted it (the forwarder's "+"),
   * rejects when the forwarder closes it instead (refused).
   */
  readonly connect = (port: number): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = netConnect(this.socketPath);
      const settle = (error?: Error) => {
        socket.off("readable", onReadable).off("end", onEnd).off("close", onEnd).off("error", settle);
        // An error before the caller listens must not throw: the caller sees the socket close.
        socket.on("error", () => {});
        if (!error) return resolve(socket);
        socket.destroy();
        reject(error);
      };
      // Paused mode: the byte after the ack stays buffered for whoever reads the socket next.
      const onReadable = () => {
        if (socket.read(1) !== null) settle();
      };
      const onEnd = () => settle(new Error(`connection refused: port ${port} of the pod`));
      socket.once("error", settle);
      socket.on("readable", onReadable).once("end", onEnd).once("close", onEnd);
      socket.once("connect", () => socket.write(`${port} ack\n`));
    });

  /** Stops the namespace's process (the namespace goes with its last process). */
  stop(): void {
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      /* gone */
    }
    rmSync(this.socketPath, { force: true });
  }
}
