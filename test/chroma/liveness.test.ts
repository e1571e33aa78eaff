/**
 * Liveness reaches Chroma itself (issue 15 §5), on 1.x with auth, from the rendered pod: Chroma listens on
 * loopback behind the nginx proxy, so its container's own startup and liveness probes go through the proxy's port
 * to Chroma's open health path. A hung Chroma (SIGSTOP of its container's processes) fails the Chroma container's
 * liveness probe — a kubelet restarts that container — while the proxy's /proxy-health stays green; it answers
 * again once Chroma runs again (SIGCONT).
 */
import t from "tap";
import { readFileSync } from "node:fs";
import { preparePod } from "./auth-tokens.ts";
import { requireHostPrograms, requireVenv } from "./harness.ts";
import { probeOnce, sleep, type ProbeTarget } from "./runner.ts";

/** A process and all its descendants (dumb-init runs Chroma in a session of its own, so a process group is not enough). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    /* gone */
  }
  return [pid, ...children.flatMap(processTree)];
}

function signalTree(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      /* gone */
    }
  }
}

interface RenderedProbe {
  timeoutSeconds: number;
  periodSeconds: number;
  failureThreshold: number;
}

for (const version of ["1.5.9", "1.0.21"] as const) {
  await t.test(`Chroma ${version} with auth: a hung Chroma fails its own liveness probe, the proxy's stays green`, async (t) => {
    requireVenv(version);
    requireHostPrograms();
    const pod = await preparePod(version, { chromadb: { auth: { enabled: true, type: "token" } } });
    t.teardown(() => pod.runner.cleanup());
    const sts = pod.instance.objects.find((o) => o.kind === "StatefulSet") as unknown as {
      spec: { template: { spec: { containers: { name: string; livenessProbe?: RenderedProbe }[] } } };
    };
    const rendered = sts.spec.template.spec.containers.find((c) => c.name === "chroma")!.livenessProbe;
    if (!t.ok(rendered, "the Chroma container has a liveness probe")) return;

    const running = await pod.runner.start();
    const chroma = running.containers.get("chroma")!;
    const find = (container: string, kind: ProbeTarget["kind"]) => running.probes.find((p) => p.container === container && p.kind === kind)!;
    const chromaLiveness = find("chroma", "liveness");
    const proxyLiveness = find("auth-proxy", "liveness");
    const proxyReadiness = find("auth-proxy", "readiness");
    t.equal(chromaLiveness.port, pod.port, "the Chroma container's liveness probe targets the proxy's port (Chroma is on loopback)");
    t.equal(proxyLiveness.path, "/proxy-health", "the proxy's own liveness checks nginx (/proxy-health)");
    const timeoutMs = rendered!.timeoutSeconds * 1000;
    // What a kubelet does: failureThreshold consecutive failures, each a probe that times out after timeoutSeconds.
    const failsLikeKubelet = async (p: ProbeTarget) => {
      for (let i = 0; i < rendered!.failureThreshold; i++) if (await probeOnce(p, timeoutMs)) return false;
      return true;
    };
    try {
      t.ok(await probeOnce(chromaLiveness, timeoutMs), "Chroma running: its liveness probe passes");
      const tree = processTree(chroma.child.pid!);
      t.ok(tree.length >= 2, `the Chroma container's processes: dumb-init and Chroma (${tree.join(", ")})`);
      signalTree(tree, "SIGSTOP");
      try {
        await sleep(200);
        const started = Date.now();
        t.ok(
          await failsLikeKubelet(chromaLiveness),
          `Chroma hung: its liveness probe fails ${rendered!.failureThreshold} times in a row (${Date.now() - started} ms): the kubelet restarts the Chroma container`,
        );
        t.ok(await probeOnce(proxyLiveness, timeoutMs), "…while the proxy's own liveness (/proxy-health) still passes");
        t.notOk(await probeOnce(proxyReadiness, timeoutMs), "…and the pod is unready (readiness goes through to Chroma)");
      } finally {
        signalTree(tree, "SIGCONT");
      }
      let back = false;
      for (let i = 0; i < 40 && !back; i++) back = await probeOnce(chromaLiveness, timeoutMs);
      t.ok(back, "Chroma running again: its liveness probe passes again");
    } finally {
      await running.stop();
    }
  });
}
