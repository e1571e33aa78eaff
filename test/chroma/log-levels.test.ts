/**
 * `chromadb.logging` (the Helm chart's log levels, 0.x only) in effect on real servers: the rendered pod with
 * chromadb at DEBUG and uvicorn at WARNING logs Chroma's debug lines and not uvicorn's startup line; the module's
 * default levels the other way round.
 */
import t from "tap";
import type { ValuesInput } from "../../schemas/values.ts";
import { loopbackPod, requireVenv } from "./harness.ts";

async function logOf(version: "0.4.24" | "0.6.3", chromadb: ValuesInput["chromadb"]): Promise<string> {
  const { runner } = await loopbackPod(version, { chromadb });
  const pod = await runner.start();
  await pod.stop();
  return pod.log("chroma");
}

for (const version of ["0.4.24", "0.6.3"] as const) {
  t.test(`Chroma ${version}: chromadb.logging sets the levels of the module's log config`, async (t) => {
    requireVenv(version);
    const leveled = await logOf(version, { logging: { chromadb: "DEBUG", uvicorn: "WARNING" } });
    t.match(leveled, /^\S+ \S+ DEBUG \[chromadb\.[\w.]+\] /m, "chromadb at DEBUG: Chroma's debug lines are logged");
    t.notMatch(leveled, /Uvicorn running on/, "uvicorn at WARNING: its INFO startup line is not");
    const plain = await logOf(version, {});
    t.match(plain, /^\S+ \S+ INFO \[uvicorn[\w.]*\] Uvicorn running on/m, "the module's defaults: uvicorn's startup line");
    t.notMatch(plain, / DEBUG \[/, "and no debug lines");
  });
}
