import t from "tap";
import { unifiedDiff } from "../../engine/apply/textdiff.ts";

const L = { before: "a", after: "b" };

t.test("equal texts give no diff", async (t) => {
  t.equal(unifiedDiff("x\ny\n", "x\ny\n", L), "");
  t.equal(unifiedDiff("", "", L), "");
});

t.test("one change with context", async (t) => {
  const a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  const b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  t.equal(unifiedDiff(a, b, L), "--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
});

t.test("creation and deletion", async (t) => {
  t.equal(unifiedDiff("", "x\ny\n", L), "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  t.equal(unifiedDiff("x\ny", "", L), "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");
});

t.test("distant changes make two hunks, close ones one", async (t) => {
  const lines = Array.from({ length: 20 }, (_, i) => String(i));
  const far = [...lines];
  far[1] = "one";
  far[18] = "eighteen";
  const d = unifiedDiff(lines.join("\n"), far.join("\n"), L, 2);
  t.equal(d.match(/^@@/gm)?.length, 2);
  const near = [...lines];
  near[5] = "five";
  near[8] = "eight";
  t.equal(unifiedDiff(lines.join("\n"), near.join("\n"), L, 2).match(/^@@/gm)?.length, 1);
  t.match(unifiedDiff("a\nb\n", "b\nc\n", L), /-a\n b\n\+c/);
});
