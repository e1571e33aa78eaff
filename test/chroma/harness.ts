/**
 * Shared pieces of the real-Chroma tests: venvs, host programs, free ports, rendering an instance from a bundle
 * the test writes, the image profiles the runner maps containers onto, HTTP and client helpers, and a trap that
 * records outbound (telemetry) connections.
 */
import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { evaluate, type EvaluatedInstance } from "../../engine/evaluate.ts";
import { chromaModule } from "../../module/index.ts";
import type { ValuesInput } from "../../schemas/values.ts";
import type { Values } from "../../schemas/values.ts";
import { chromaProfile, nginxProfile } from "../../localcluster/node/images.ts";
import t from "tap";
import { PodRunner, type RunnerOptions } from "./runner.ts";

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = process.env.CHROMA_MOD_CACHE ?? join(homedir(), ".cache", "chroma-mod");

/* ------------------------------------------------------------------ prerequisites (fail, never skip) */

function venvDir(version: string): string {
  return join(cacheDir, "venvs", version);
}

/** Throws when the venv of `version` is missing or not fully built (scripts/setup.sh builds it). */
export function requireVenv(version: string): string {
  const venv = venvDir(version);
  // The `chroma` CLI exists from 0.4.9 on (1.x starts with it); uvicorn is what 0.x pods run.
  const programs = version.startsWith("0.") ? ["bin/uvicorn"] : ["bin/chroma"];
  for (const file of ["bin/python", ...programs, ".chroma-mod-stamp"]) {
    if (!existsSync(join(venv, file))) {
      throw new Error(`Chroma ${version}: ${join(venv, file)} is missing. Run scripts/setup.sh (or test/chroma/setup-venvs.sh ${version}) first.`);
    }
  }
  return venv;
}

const hostPrograms = { nginx: "/usr/sbin/nginx", dumbInit: "/usr/bin/dumb-init", sh: "/bin/sh", od: "/usr/bin/od", awk: "/usr/bin/awk" } as const;

/** Throws when nginx, dumb-init, sh, od or awk (the auth proxy's start script) is missing (scripts/setup.sh installs them). */
export function requireHostPrograms(): void {
  for (const [name, path] of Object.entries(hostPrograms)) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new Error(`${name} (${path}) is missing: run scripts/setup.sh (apt-get install -y nginx dumb-init coreutils mawk).`);
    }
  }
}

/* ------------------------------------------------------------------ ports */

/** A port that is free on loopback right now (the kernel's choice, so parallel test files do not collide). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen({ port: 0, host: "0.0.0.0" }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/* ------------------------------------------------------------------ rendering */

export const instanceName = "chroma";
const testNamespace = "chroma-test";

/** Renders one instance from a bundle the test writes: evaluate() exactly as `build`/`apply` do. */
export function render(values: ValuesInput, file = "test/chroma/bundle.config.ts"): EvaluatedInstance<Values> {
  const bundle = { instances: { [instanceName]: { namespace: testNamespace, values } } };
  const [instance] = evaluate(chromaModule, bundle, { file });
  return instance!;
}

/** The values every served test instance needs: loopback, free ports for every port of the pod. */
export async function networkValues(): Promise<{ serverHttpPort: number; upstreamPort: number }> {
  const serverHttpPort = await freePort();
  let upstreamPort = await freePort();
  while (upstreamPort === serverHttpPort) upstreamPort = await freePort();
  return { serverHttpPort, upstreamPort };
}

/**
 * A runner of the pod rendered from `values` at `version`, on loopback ports of its own (auth off unless the
 * values say), removed when the test file ends; `wheel` is the venv that runs it (default: `version`'s).
 */
export async function loopbackPod(version: string, values: ValuesInput, wheel = version): Promise<{ runner: PodRunner; port: number }> {
  const net = await networkValues();
  const instance = render({
    ...values,
    chromadb: { auth: { enabled: false }, ...values.chromadb, apiVersion: version as never, serverHost: "127.0.0.1", serverHttpPort: net.serverHttpPort },
    proxy: { ...values.proxy, upstreamPort: net.upstreamPort },
  });
  const runner = new PodRunner(instance.objects, instance.generatedSecrets, { imageProfile: imageProfiles(wheel), readyTimeoutMs: 120_000 });
  t.teardown(() => runner.cleanup());
  return { runner, port: net.serverHttpPort };
}

/* ------------------------------------------------------------------ image profiles */

const systemPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * The image profiles of the local node (localcluster/node/images.ts): the Chroma image (official or ours) runs from
 * the version's venv, the proxy image with Debian nginx as the rendered non-root user.
 */
export function imageProfiles(version: string, values: { image?: { repository?: string } } = {}): RunnerOptions["imageProfile"] {
  const chromaRepo = values.image?.repository ?? "ghcr.io/chroma-core/chroma";
  const chroma = chromaProfile(venvDir(version), version);
  const proxy = nginxProfile();
  return (image: string) => (image.startsWith(`${chromaRepo}:`) ? chroma : proxy);
}

/* ------------------------------------------------------------------ HTTP */

/** Where a server answers: a port on loopback (the process runner), or a host and port (a pod IP, test/containers/). */
export type Target = number | { readonly host: string; readonly port: number };

export function hostPort(target: Target): { host: string; port: number } {
  return typeof target === "number" ? { host: "127.0.0.1", port: target } : target;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

export async function http(
  target: Target,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<HttpAnswer> {
  const { host, port } = hostPort(target);
  const res = await fetch(`http://${host}:${port}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

/* ------------------------------------------------------------------ Python client */

export type ClientAuth =
  | null
  | { kind: "token"; header: "Authorization" | "X-Chroma-Token"; token: string }
  | { kind: "basic"; username: string; password: string };

export interface ClientStep {
  name: string;
  op: "crud" | "write" | "read" | "reset" | "heartbeat";
  collection?: string;
  auth?: ClientAuth;
}
export interface ClientStepResult {
  name: string;
  ok: boolean;
  result?: Record<string, unknown>;
  error?: string;
  trace?: string;
}

/** Runs steps with the official Python client of `version` (its venv's python), one fresh client per step. */
/** `tlsCa`: connect over HTTPS, verifying the server's certificate against this CA file (PEM). */
export function pythonClient(version: string, target: Target, steps: ClientStep[], options: { tlsCa?: string } = {}): Promise<Map<string, ClientStepResult>> {
  const python = join(venvDir(version), "bin", "python");
  const script = join(here, "clients", "py_client.py");
  const arg = JSON.stringify({ ...hostPort(target), steps, ...(options.tlsCa ? { tls: { ca: options.tlsCa } } : {}) });
  return new Promise((resolve, reject) => {
    const child = spawn(python, [script, arg], {
      env: {
        PATH: `${join(venvDir(version), "bin")}:${systemPath}`,
        HOME: process.env.HOME ?? "/tmp",
        ANONYMIZED_TELEMETRY: "FALSE",
        LANG: "C.UTF-8",
        ...(options.tlsCa ? { REQUESTS_CA_BUNDLE: options.tlsCa } : {}),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      const line = out.trim().split("\n").pop() ?? "";
      try {
        const parsed = JSON.parse(line) as { version: string; steps: ClientStepResult[] };
        if (parsed.version !== version) throw new Error(`client version ${parsed.version}, expected ${version}`);
        resolve(new Map(parsed.steps.map((s) => [s.name, s])));
      } catch (error) {
        reject(new Error(`python client failed (exit ${code}): ${(error as Error).message}\nstdout:\n${out}\nstderr:\n${err}`));
      }
    });
  });
}

/**
 * An auth failure as each client generation reports it. The 0.5.0 client turns the server's 403 on its first call
 * (the tenant check) into "Could not connect to tenant default_tenant. Are you sure it exists?" — the raw HTTP
 * checks beside every client check pin the status itself.
 */
export const authErrorPattern = /\b(401|403)\b|unauthori[sz]ed|forbidden|AuthorizationError|AuthenticationError|Could not connect to tenant/i;

/* ------------------------------------------------------------------ outbound-connection trap */

/**
 * A fake HTTP(S) proxy that records every connection and answers none: given to the server as HTTPS_PROXY /
 * HTTP_PROXY, it sees any telemetry the server tries to send (posthog uses requests, which honours both), and
 * nothing leaves the machine.
 */
export async function outboundTrap(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    let first = "";
    socket.on("data", (chunk: Buffer) => {
      if (!first) {
        first = chunk.toString("latin1").split("\r\n")[0] ?? "";
        requests.push(first);
      }
      socket.destroy();
    });
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen({ port: 0, host: "127.0.0.1" }, r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/* ------------------------------------------------------------------ misc */

export function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}
