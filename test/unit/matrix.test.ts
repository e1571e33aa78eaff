/** The version matrix (module/matrix.ts) is complete and matches what test/chroma/ runs: every version has a row, a venv pin and a test file. */
import t from "tap";
import { existsSync, readFileSync } from "node:fs";
import { chromaReleases } from "../../schemas/releases.ts";
import { cellText, features, matrix, matrixVersions } from "../../module/matrix.ts";

const versionsJson = JSON.parse(readFileSync(new URL("../chroma/versions.json", import.meta.url), "utf8")) as { versions: { version: string }[] };

t.test("every tested version: a supported release, pinned in versions.json, with its test file", async (t) => {
  for (const v of matrixVersions) {
    t.ok((chromaReleases as readonly string[]).includes(v), `${v} is a release the module supports`);
    t.ok(
      versionsJson.versions.some((x) => x.version === v),
      `${v} has a venv in versions.json`,
    );
    t.ok(existsSync(new URL(`../chroma/v${v}.test.ts`, import.meta.url)), `test/chroma/v${v}.test.ts exists`);
  }
});

t.test("every row has every feature, each cell yes/no with a reason", async (t) => {
  for (const v of matrixVersions) {
    t.same(Object.keys(matrix[v]).sort(), Object.keys(features).sort(), `${v}: all features`);
    for (const [f, cell] of Object.entries(matrix[v])) {
      t.ok((cell.support === "yes" || cell.support === "no") && cell.reason.length > 10, `${v} ${f}: ${cell.support}`);
    }
  }
  t.equal(cellText(matrix["1.5.9"].logConfig), `no: ${matrix["1.5.9"].logConfig.reason}`, "a cell as the suite's comments show it");
});
