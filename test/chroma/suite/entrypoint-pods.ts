/**
 * The image's entrypoint (image/docker_entrypoint.sh): the open pod run through it under dumb-init, once with the
 * rendered command as its args, once with no args and the server's settings in env.
 */
import type { Test } from "tap";
import { parse as parseYaml } from "yaml";
import { pythonClient } from "../harness.ts";
import { runningLineInRenderedFormat } from "../features/log-config.ts";
import { checkProbes } from "../features/probes.ts";
import type { PodSpec, RunningPod } from "../runner.ts";
import { is1x, type SuiteContext } from "./context.ts";
import { configMapData } from "./rendered.ts";
import { serve, withPod, type Served } from "./serve.ts";

type Mode = "args" | "env";

/** The pod as the image runs it: the entrypoint under dumb-init, given the rendered server command as args or as env. */
const viaEntrypoint =
  (mode: Mode) =>
  (spec: PodSpec): PodSpec => {
    const c = spec.containers.find((x) => x.name === "chroma")!;
    const rendered = [...(c.command ?? []), ...(c.args ?? [])];
    const server = rendered[0] === "dumb-init" ? rendered.slice(rendered.indexOf("--") + 1) : rendered;
    c.command = ["dumb-init", "--", "/docker_entrypoint.sh"];
    if (mode === "args") {
      c.args = server; // what the image runs when the pod gives only args
    } else {
      c.args = [];
      c.env ??= [];
      const env = c.env;
      const arg = (flag: string) => server[server.indexOf(flag) + 1]!;
      if (server[0] === "chroma") env.push({ name: "CHROMA_CONFIG", value: server[2]! });
      else {
        env.push(
          { name: "CHROMA_HOST_ADDR", value: arg("--host") },
          { name: "CHROMA_HOST_PORT", value: arg("--port") },
          { name: "CHROMA_LOG_CONFIG", value: arg("--log-config") },
        );
        if (server.includes("--timeout-keep-alive")) env.push({ name: "CHROMA_TIMEOUT_KEEP_ALIVE", value: arg("--timeout-keep-alive") });
      }
    }
    return spec;
  };

/** The server the entrypoint started runs the rendered configuration: 0.x the log config, 1.x the config.yaml. */
function checkRenderedConfigLoaded(t: Test, ctx: SuiteContext, served: Served, pod: RunningPod): void {
  if (!is1x(ctx.version)) {
    t.ok(runningLineInRenderedFormat(served, pod.log("chroma").split("\n")), "the module's log config is in effect");
  } else {
    const persistPath = (parseYaml(configMapData(served.instance.objects)["config.yaml"]!) as { persist_path: string }).persist_path;
    const hostDir = pod.mounts.get("chroma")!.get(persistPath)!;
    t.ok(pod.log("chroma").includes(`persist_path: ${hostDir}`), `the rendered config.yaml is the one loaded (persist_path ${persistPath} → ${hostDir})`);
  }
}

async function entrypointTest(t: Test, ctx: SuiteContext, mode: Mode): Promise<void> {
  await t.test(`${mode === "args" ? "rendered command as the entrypoint's args" : "no args: env-driven"}`, async (t) => {
    const served = await serve(ctx.version, { chromadb: { auth: { enabled: false } } }, viaEntrypoint(mode));
    await withPod(t, served, `entrypoint ${mode}`, async (pod) => {
      const chroma = pod.containers.get("chroma")!;
      t.match(chroma.argv.join(" "), /dumb-init -- \S*docker_entrypoint\.sh/, "runs under dumb-init through the entrypoint");
      await checkProbes(t, pod);
      const r = (await pythonClient(ctx.version, served.port, [{ name: "crud", op: "crud", collection: `entry_${mode}` }])).get("crud")!;
      t.same(r.result, { count: 3, nearest: ["a", "b"] }, "the server started by the entrypoint serves create/add/query", { error: r.error, trace: r.trace });
      checkRenderedConfigLoaded(t, ctx, served, pod);
    });
  });
}

export async function entrypointPods(t: Test, ctx: SuiteContext): Promise<void> {
  await t.test(`Chroma ${ctx.version}: image/docker_entrypoint.sh`, async (t) => {
    ctx.feature("imageEntrypoint", t);
    for (const mode of ["args", "env"] as const) await entrypointTest(t, ctx, mode);
  });
}
