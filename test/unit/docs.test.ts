/** Docs and behaviour change together: the generated sections must match what the code says now. */
import { readFileSync } from "node:fs";
import t from "tap";
import { generatedFiles, replaceSection } from "../../scripts/docs.ts";
import { root } from "../fixtures/cli.ts";

t.test("README and docs/values.md are generated from the current schemas and gates (run `npm run docs`)", async (t) => {
  for (const [file, text] of Object.entries(generatedFiles())) {
    t.ok(readFileSync(`${root}${file}`, "utf8") === text, `${file} is up to date`);
  }
});

t.test("replaceSection", async (t) => {
  t.equal(replaceSection("a <!-- x:start -->old<!-- x:end --> b", "x", "new\n"), "a <!-- x:start -->\nnew\n<!-- x:end --> b");
  t.throws(() => replaceSection("nothing", "x", ""), /missing <!-- x:start -->/);
});

t.test("writeGeneratedFiles writes what generatedFiles returns (a no-op when current)", async (t) => {
  const { writeGeneratedFiles } = await import("../../scripts/docs.ts");
  const before = readFileSync(`${root}README.md`, "utf8");
  writeGeneratedFiles();
  t.equal(readFileSync(`${root}README.md`, "utf8"), before);
});
