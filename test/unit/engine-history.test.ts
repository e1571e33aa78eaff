/** Revisions (engine/apply/history.ts) in the inventory Secret, and the Chroma data generations rollback checks. */
import t from "tap";
import { appendRevision, HISTORY_LIMIT, HISTORY_MAX_BYTES, revisionDue, type Revision } from "../../engine/apply/history.ts";
import { decodeInventory, inventorySecret } from "../../engine/apply/inventory.ts";
import { dataGeneration, rollbackRefusal } from "../../module/data-format.ts";
import type { Values } from "../../schemas/values.ts";

const entry = (digest: string, values: unknown = { n: digest }) => ({
  appliedAt: "2026-12-07T00:00:00.000Z",
  tool: "chroma-mod/0.1.0",
  module: "chroma/0.1.0",
  valuesDigest: digest,
  values,
});

t.test("appendRevision numbers revisions and keeps the last ten, and at most 256 KiB", async (t) => {
  let history: Revision[] = [];
  for (let i = 1; i <= 12; i++) history = appendRevision(history, entry(`d${i}`));
  t.equal(history.length, HISTORY_LIMIT);
  t.same(
    history.map((r) => r.revision),
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    "numbers keep counting: the oldest go",
  );
  const big = "x".repeat(100 * 1024);
  let heavy: Revision[] = [];
  for (let i = 0; i < 4; i++) heavy = appendRevision(heavy, entry(`b${i}`, { big }));
  t.same(
    heavy.map((r) => r.revision),
    [3, 4],
    "the oldest go until the rest fits",
  );
  t.ok(Buffer.byteLength(JSON.stringify(heavy)) <= HISTORY_MAX_BYTES);
  const huge = appendRevision([], entry("h", { big: "x".repeat(HISTORY_MAX_BYTES) }));
  t.equal(huge.length, 1, "one revision is always kept, however large");
});

t.test("revisionDue: other values or another module version; never a no-op or a drift repair", async (t) => {
  const history = appendRevision([], entry("d1"));
  t.ok(revisionDue([], "d1", "chroma/0.1.0"), "no history yet");
  t.notOk(revisionDue(history, "d1", "chroma/0.1.0"), "the same values by the same module");
  t.ok(revisionDue(history, "d2", "chroma/0.1.0"), "other values");
  t.ok(revisionDue(history, "d1", "chroma/0.2.0"), "another module version");
});

t.test("the inventory Secret carries the history under its own key; an unreadable history reads as none", async (t) => {
  const ref = { name: "vec", namespace: "ns" };
  const history = appendRevision([], entry("d1"));
  const secret = inventorySecret(ref, { module: "chroma/0.1.0", valuesDigest: "d1", entries: [], history }, "0.1.0");
  t.same(Object.keys(secret.data as object).sort(), ["history", "inventory"]);
  t.same(decodeInventory(secret)?.history, history);
  const without = inventorySecret(ref, { module: "chroma/0.1.0", valuesDigest: "d1", entries: [] }, "0.1.0");
  t.same(Object.keys(without.data as object), ["inventory"], "no history: no key");
  t.equal(decodeInventory(without)?.history, undefined);
  const broken = { ...secret, data: { ...(secret.data as object), history: Buffer.from("{not json").toString("base64") } };
  t.equal(decodeInventory(broken)?.history, undefined, "not JSON");
  const notList = { ...secret, data: { ...(secret.data as object), history: Buffer.from('{"a":1}').toString("base64") } };
  t.equal(decodeInventory(notList)?.history, undefined, "not a list");
  t.same(decodeInventory(notList)?.entries, [], "the inventory itself still reads");
});

t.test("data generations: 0.5, 0.6 and 1.0 changed Chroma's on-disk format", async (t) => {
  t.same(["0.4.24", "0.5.0", "0.5.23", "0.6.3", "1.0.0", "1.5.9"].map(dataGeneration), ["0.4", "0.5", "0.5", "0.6", "1", "1"]);
  const at = (apiVersion: string) => ({ chromadb: { apiVersion } }) as Values;
  t.equal(rollbackRefusal(at("1.5.9"), at("1.0.21")), undefined, "within a generation: allowed");
  t.match(
    rollbackRefusal(at("1.5.9"), at("0.6.3")),
    /runs Chroma 1\.5\.9, and the revision runs Chroma 0\.6\.3: their on-disk formats differ \(data format 1 vs 0\.6\)/,
  );
});
