/**
 * Telemetry: a trap (a fake HTTP(S) proxy given to the server) records every outbound connection. With telemetry
 * off nothing may leave for as long as a server needs to try; on 0.x, anonymizedTelemetry: true is the control
 * that shows the observable is live.
 */
import type { Test } from "tap";
import { outboundTrap } from "../harness.ts";
import { sleep, type RunningPod } from "../runner.ts";
import { is1x, type SuiteContext } from "../suite/context.ts";

export type Trap = Awaited<ReturnType<typeof outboundTrap>>;

/** How long a server must run before "no outbound connection" means something: onnxruntime's 1DS uploader first
 * connects ~7-10 s after the server starts (measured: 10.4-10.7 s from pod start on 0.4.24/0.6.3). */
const telemetryObservationMs = 15_000;

const telemetryLine = /Anonymized telemetry enabled/;

/** Runs `body` with a trap open, closing it after. */
export async function withTrap(body: (trap: Trap) => Promise<void>): Promise<void> {
  const trap = await outboundTrap();
  try {
    await body(trap);
  } finally {
    await trap.close();
  }
}

/** The container env that sends the server's outbound HTTP(S) through the trap. */
export function trapEnv(trap: Trap) {
  return [
    { name: "HTTPS_PROXY", value: trap.url },
    { name: "HTTP_PROXY", value: trap.url },
  ];
}

/** The subtest that proves telemetry is off: nothing reached the trap in the observation time since `upSince`. */
export async function telemetryOffTest(t: Test, ctx: SuiteContext, pod: RunningPod, trap: Trap, upSince: number): Promise<void> {
  await t.test("telemetry off", async (t) => {
    ctx.feature("telemetryOff", t);
    await sleep(Math.max(1500, telemetryObservationMs - (Date.now() - upSince)));
    t.same(trap.requests, [], `no outbound connection from the server in ${telemetryObservationMs / 1000} s of uptime, over two starts (HTTPS_PROXY trap)`);
    t.notMatch(pod.log("chroma"), telemetryLine, "no 'Anonymized telemetry enabled' line");
  });
}

/** The control: on 0.x with telemetry on, the server does reach posthog through the trap; 1.x sends nothing at all. */
export async function telemetryControlTest(t: Test, ctx: SuiteContext, pod: RunningPod, trap: Trap): Promise<void> {
  await t.test("telemetry observable (control)", async (t) => {
    ctx.feature("telemetryOff", t);
    if (is1x(ctx.version)) {
      await sleep(1000);
      t.same(trap.requests, [], "1.x: no outbound connection at all");
      return;
    }
    for (let i = 0; i < 40 && trap.requests.length === 0; i++) await sleep(250);
    t.ok(
      trap.requests.some((l) => /posthog/i.test(l)),
      "with anonymizedTelemetry: true the server does try to reach posthog (through the trap)",
      { requests: trap.requests },
    );
    t.match(pod.log("chroma"), telemetryLine, "…and logs 'Anonymized telemetry enabled': the observable used above is live");
  });
}
