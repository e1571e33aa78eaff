/** Log config (0.x): uvicorn runs with the module's log_config.yaml, so its lines are in the rendered format. */
import type { Test } from "tap";
import { parse as parseYaml } from "yaml";
import type { RunningPod } from "../runner.ts";
import type { SuiteContext } from "../suite/context.ts";
import { configMapData } from "../suite/rendered.ts";
import type { Served } from "../suite/serve.ts";

/** Regex of a Python logging format ("%(asctime)s %(levelname)s [%(name)s] %(message)s"). */
function logFormatRegex(format: string): RegExp {
  const parts = format.split(/(%\([a-z]+\)s)/);
  const body = parts
    .map((p) => {
      if (p === "%(asctime)s") return "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}";
      if (p === "%(levelname)s") return "(?:DEBUG|INFO|WARNING|ERROR|CRITICAL)";
      if (p === "%(name)s") return "[\\w.]+";
      if (p === "%(message)s") return ".*";
      if (/^%\([a-z]+\)s$/.test(p)) return ".*?";
      return p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("");
  return new RegExp(`^${body}$`);
}

/** The format of the rendered log_config.yaml's default formatter. */
function renderedLogFormat(served: Served): string {
  const logConfig = parseYaml(configMapData(served.instance.objects)["log_config.yaml"]!) as { formatters: { default: { format: string } } };
  return logConfig.formatters.default.format;
}

/** Whether uvicorn's "Uvicorn running on" line is among `lines` in the rendered format. */
export function runningLineInRenderedFormat(served: Served, lines: readonly string[]): boolean {
  const re = logFormatRegex(renderedLogFormat(served));
  return lines.some((l) => re.test(l) && /Uvicorn running on/.test(l));
}

/** The subtest that proves the `logConfig` cell (on 1.x, where it is "no", the refusal was asserted already). */
export async function logConfigTest(t: Test, ctx: SuiteContext, served: Served, pod: RunningPod): Promise<void> {
  await t.test("log config in effect", async (t) => {
    if (ctx.row.logConfig.support === "no") return void t.pass("1.x: asserted refused above");
    ctx.feature("logConfig", t);
    const format = renderedLogFormat(served);
    const lines = pod.log("chroma").split("\n");
    t.ok(runningLineInRenderedFormat(served, lines), `the "Uvicorn running on" line is in the module's format ${format}`, { log: lines.slice(0, 10) });
    t.notOk(
      lines.some((l) => /^INFO:\s+Uvicorn running/.test(l)),
      "no line in uvicorn's default format",
    );
  });
}
