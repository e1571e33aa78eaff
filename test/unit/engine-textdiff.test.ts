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
  t.equal(unifiedDiff("x\ny\n", "", L), "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n");
});

t.test("a missing final newline is marked, as diff(1) does", async (t) => {
  t.equal(unifiedDiff("x\ny", "", L), "--- a\n+++ b\n@@ -1,2 +0,0 @@\n-x\n-y\n\\ No newline at end of file\n");
  t.equal(unifiedDiff("x\n", "x", L), "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-x\n+x\n\\ No newline at end of file\n");
});

t.test("a hunk that opens with a replacement starts both sides at the same line", async (t) => {
  t.equal(unifiedDiff("c\n\nc\nd\n", "z\n\nc\nd\n", L, 2), "--- a\n+++ b\n@@ -1,3 +1,3 @@\n-c\n+z\n \n c\n");
  t.equal(unifiedDiff("a\nb\nc\n", "a\nB\nc\n", L, 0), "--- a\n+++ b\n@@ -2,1 +2,1 @@\n-b\n+B\n");
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
