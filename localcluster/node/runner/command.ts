/**
 * What a container runs: its environment (the image's, then the container's env in order, `value`s and
 * `valueFrom` resolved from the rendered ConfigMaps and the generated Secrets) and its argv by Kubernetes' rule
 * (command + args; without a command, the image's ENTRYPOINT + the args, or + its CMD when there are no args either),
 * with `$(VAR)` expansion of what the pod wrote, mount paths rewritten, programs mapped onto the host:
 * `uvicorn`/`chroma`/`python` → the version's venv, `dumb-init` → /usr/bin/dumb-init, `/bin/sh` → sh, `nginx` →
 * Debian nginx.
 */
import { expandK8s, rewritePaths } from "./expand.ts";
import type { ImageProfile } from "./host.ts";
import { PodStartError, type Container, type DataByName, type EnvVar } from "./pod-spec.ts";

/** Where `valueFrom` reads: the rendered ConfigMaps, the filled Secrets, and the pod's name and namespace for `fieldRef`. */
export interface EnvSources {
  readonly maps: DataByName;
  readonly secrets: DataByName;
  readonly podName: string;
  /** Default: "default". */
  readonly namespace?: string;
}

/** One env entry's value; `undefined` (an optional reference that is absent, an unknown field) sets nothing. */
function envValue(
  c: Container,
  e: EnvVar,
  env: Readonly<Record<string, string>>,
  mounts: ReadonlyMap<string, string>,
  sources: EnvSources,
): string | undefined {
  // Rewrite the literal text, then expand $(VAR) with values already rewritten (never rewrite twice).
  if (e.value !== undefined) return expandK8s(rewritePaths(e.value, mounts), env);
  if (e.valueFrom?.secretKeyRef) {
    const ref = e.valueFrom.secretKeyRef;
    const value = sources.secrets.get(ref.name)?.[ref.key];
    if (value === undefined && !ref.optional) throw new PodStartError(`container ${c.name}: env ${e.name}: Secret ${ref.name} key ${ref.key} does not exist`);
    return value;
  }
  if (e.valueFrom?.configMapKeyRef) {
    const ref = e.valueFrom.configMapKeyRef;
    const value = sources.maps.get(ref.name)?.[ref.key];
    if (value === undefined && !ref.optional)
      throw new PodStartError(`container ${c.name}: env ${e.name}: ConfigMap ${ref.name} key ${ref.key} does not exist`);
    return value;
  }
  if (e.valueFrom?.fieldRef) {
    const fields: Record<string, string> = {
      "status.podIP": "127.0.0.1",
      "metadata.name": sources.podName,
      "metadata.namespace": sources.namespace ?? "default",
    };
    return fields[e.valueFrom.fieldRef.fieldPath];
  }
  return "";
}

/** Env: image env, then the container's env in order ($(VAR) sees earlier entries), paths rewritten. */
export function containerEnv(c: Container, profile: ImageProfile, mounts: ReadonlyMap<string, string>, sources: EnvSources): Record<string, string> {
  const env: Record<string, string> = { ...profile.env };
  // envFrom first, then env (env wins on a duplicate key), as the kubelet does.
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = (from.configMapRef ? sources.maps : sources.secrets).get(ref.name);
    if (!data && !ref.optional)
      throw new PodStartError(`container ${c.name}: envFrom ${from.configMapRef ? "ConfigMap" : "Secret"} ${ref.name} does not exist`);
    for (const [key, value] of Object.entries(data ?? {})) env[`${from.prefix ?? ""}${key}`] = value;
  }
  for (const e of c.env ?? []) {
    const value = envValue(c, e, env, mounts, sources);
    if (value !== undefined) env[e.name] = value;
  }
  return env;
}

/**
 * The container's command line by Kubernetes' rule, split into what the image gives (run as written) and what the
 * pod gives (`$(VAR)`-expanded): command (+ args), the image's CMD ignored; args alone after the image's ENTRYPOINT;
 * neither: ENTRYPOINT + CMD.
 */
function commandLine(c: Container, profile: ImageProfile): { fromImage: readonly string[]; fromPod: readonly string[] } {
  if (c.command?.length) return { fromImage: [], fromPod: [...c.command, ...(c.args ?? [])] };
  const defaults = profile.defaults;
  if (!defaults)
    throw new PodStartError(
      `container ${c.name}: no command, and the local node does not run image ${c.image}'s own entrypoint (it runs its programs from the host): give the container a command`,
    );
  const line = c.args?.length ? { fromImage: defaults.entrypoint, fromPod: c.args } : { fromImage: [...defaults.entrypoint, ...defaults.cmd], fromPod: [] };
  if (line.fromImage.length + line.fromPod.length === 0) throw new PodStartError(`container ${c.name}: no command (image ${c.image} has no ENTRYPOINT or CMD)`);
  return line;
}

/** argv: the command line, paths rewritten, the pod's part $(VAR)-expanded, programs mapped (also the one dumb-init runs). */
export function containerArgv(c: Container, profile: ImageProfile, mounts: ReadonlyMap<string, string>, env: Readonly<Record<string, string>>): string[] {
  const { fromImage, fromPod } = commandLine(c, profile);
  const raw = [...fromImage, ...fromPod];
  const argv = [...fromImage.map((a) => rewritePaths(a, mounts)), ...fromPod.map((a) => expandK8s(rewritePaths(a, mounts), env))];
  const mapProgram = (index: number) => {
    const program = argv[index]!;
    const host = profile.programs[program];
    if (!host) throw new PodStartError(`container ${c.name}: no host program for "${program}" (image ${c.image})`);
    argv[index] = host;
  };
  mapProgram(0);
  if (raw[0] === "dumb-init") {
    const sep = argv.indexOf("--");
    const index = sep >= 0 ? sep + 1 : argv.findIndex((a, i) => i > 0 && !a.startsWith("-"));
    if (index > 0 && index < argv.length && profile.programs[argv[index]!]) mapProgram(index);
  }
  return argv;
}
