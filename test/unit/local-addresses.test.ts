import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { readAddresses, serviceAddress } from "../../localcluster/node/addresses.ts";

t.test("a Service's loopback ports, while the local node serves it", async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), "chroma-mod-addresses-"));
  const file = join(stateDir, "node", "services.json");
  t.same(serviceAddress("ns", "vec", { stateDir }), {}, "no file yet");
  mkdirSync(join(stateDir, "node"));
  writeFileSync(file, JSON.stringify({ ports: { "ns/vec": { http: 8000 }, "ns/old": { http: 8001 } }, serving: ["ns/vec"] }));
  t.same(serviceAddress("ns", "vec", { stateDir }), { http: 8000 });
  t.same(serviceAddress("ns", "old", { stateDir }), {}, "recorded (kept for its next start) but not served");
  writeFileSync(file, JSON.stringify({ ports: {}, serving: ["ns/vec"] }));
  t.same(serviceAddress("ns", "vec", { stateDir }), {}, "served but no port recorded (yet)");
  writeFileSync(file, "{}");
  t.same(readAddresses(file), { ports: {}, serving: [] }, "an empty file");
  writeFileSync(file, "not json");
  t.same(readAddresses(file), { ports: {}, serving: [] }, "a torn file reads as nothing served");
});
