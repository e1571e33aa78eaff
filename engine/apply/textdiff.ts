/** A small unified line diff (LCS), enough for per-object YAML diffs. */

/** Unified diff of two texts with `context` lines around changes; "" when equal. */
export function unifiedDiff(before: string, after: string, labels: { before: string; after: string }, context = 3): string {
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = diffLines(a, b);
  if (ops.every((o) => o.op === " ")) return "";
  const out = [`--- ${labels.before}`, `+++ ${labels.after}`];
  const changed = ops.flatMap((o, i) => (o.op === " " ? [] : [i]));
  let h = 0;
  while (h < changed.length) {
    // A hunk joins changes separated by at most 2×context unchanged lines.
    let last = h;
    while (last + 1 < changed.length && (changed[last + 1] as number) - (changed[last] as number) - 1 <= 2 * context) last++;
    const start = Math.max(0, (changed[h] as number) - context);
    const end = Math.min(ops.length, (changed[last] as number) + context + 1);
    const hunk = ops.slice(start, end);
    const first = ops[start] as Op;
    const aLen = hunk.filter((o) => o.op !== "+").length;
    const bLen = hunk.filter((o) => o.op !== "-").length;
    out.push(`@@ -${first.a + (aLen ? 1 : 0)},${aLen} +${first.b + (bLen ? 1 : 0)},${bLen} @@`);
    for (const o of hunk) out.push(`${o.op}${o.line}`);
    h = last + 1;
  }
  return out.join("\n") + "\n";
}

interface Op {
  op: " " | "-" | "+";
  line: string;
  /** Lines of `a` / `b` before this one. */
  a: number;
  b: number;
}

function splitLines(s: string): string[] {
  if (s === "") return [];
  const lines = s.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
}

function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      ops.push({ op: " ", line: a[i] as string, a: i, b: j });
      i++;
      j++;
    } else if (j < m && (i === n || ((lcs[i] as Uint32Array)[j + 1] as number) >= ((lcs[i + 1] as Uint32Array)[j] as number))) {
      ops.push({ op: "+", line: b[j] as string, a: i, b: j });
      j++;
    } else {
      ops.push({ op: "-", line: a[i] as string, a: i, b: j });
      i++;
    }
  }
  // Show removals before additions within a change block, as diff(1) does.
  for (let s = 0; s < ops.length; ) {
    if ((ops[s] as Op).op === " ") {
      s++;
      continue;
    }
    let e = s;
    while (e < ops.length && (ops[e] as Op).op !== " ") e++;
    const block = ops.slice(s, e);
    const sorted = [...block.filter((o) => o.op === "-"), ...block.filter((o) => o.op === "+")];
    ops.splice(s, e - s, ...sorted);
    s = e;
  }
  return ops;
}
