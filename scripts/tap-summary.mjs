// How `npm test` (scripts/test.mjs) counts: each step (the type check, each tap pass) becomes passed/failed numbers,
// and the run ends with the one line CI reads, `N passed, N failed`. A test that did not run is not a pass: tap's
// skipped and todo tests count as failed (each is listed on a line before the total), and so does a pass in which
// no test ran at all. tap's own summary comment, `# { total: 12, pass: 9, fail: 1, skip: 1, todo: 1 }` (zero
// counts left out), is the source of the numbers.

const COUNTS = /^# \{ (total: \d+(?:, [a-z]+: \d+)*) \}$/;
const DIRECTIVE = /^\s*(?:not )?ok \d+ - (.*?) # (SKIP|TODO)\b\s*(.*)$/i;
const FILE = /^# Subtest: (.+)$/;
const SUBTEST = /^( *)# Subtest: (.*)$/;
const FAILED = /^( *)not ok \d+ - (.*?)(?: # time=[\d.]+m?s)?$/;
/** How many failed tests a step names (a crashed file can fail hundreds). */
const SHOWN_FAILURES = 30;

/**
 * Reads one tap run's TAP output as it streams (`write` each chunk, then `end`): the last summary comment, and every
 * skipped or todo test with the file it is in.
 */
export function tapReader() {
  let rest = "";
  let file = "";
  let counts;
  const notRun = [];
  const failures = [];
  const path = [];
  const line = (text) => {
    const subtest = SUBTEST.exec(text);
    if (subtest) {
      path.length = subtest[1].length / 4;
      path.push(subtest[2]);
    }
    const failed = FAILED.exec(text);
    if (failed && !DIRECTIVE.test(text)) {
      // Only the innermost failure: a subtest that failed because a test in it did is not named again.
      const level = failed[1].length / 4;
      const last = failures[failures.length - 1];
      if (!(last && last.level === level + 1)) failures.push({ level, name: [...path.slice(0, level), failed[2]].join(" > ") });
      else last.level = level;
    }
    const summary = COUNTS.exec(text);
    if (summary) {
      counts = { total: 0, pass: 0, fail: 0, skip: 0, todo: 0 };
      for (const [, key, value] of summary[1].matchAll(/([a-z]+): (\d+)/g)) counts[key] = Number(value);
      return;
    }
    const top = FILE.exec(text);
    if (top) file = top[1];
    const directive = DIRECTIVE.exec(text);
    if (directive) {
      const [, name, kind, reason] = directive;
      const where = name === file || file === "" ? name : `${file}: ${name}`;
      notRun.push(`${kind.toUpperCase()} ${where}${reason ? ` (${reason})` : ""}`);
    }
  };
  return {
    write(chunk) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const text of lines) line(text);
    },
    end() {
      if (rest !== "") line(rest);
      rest = "";
      return { counts, notRun, failures: failures.map((f) => f.name) };
    },
  };
}

/** One tap pass as a step: what tapReader read, and tap's exit code (null when a signal ended it). */
export function tapStep(label, { counts, notRun, failures = [] }, code) {
  const passed = counts?.pass ?? 0;
  const unrun = (counts?.skip ?? 0) + (counts?.todo ?? 0);
  let failed = (counts?.fail ?? 0) + unrun;
  const notes = [];
  if (unrun > 0) {
    const kinds = [counts.skip > 0 ? `${counts.skip} skipped` : "", counts.todo > 0 ? `${counts.todo} todo` : ""].filter(Boolean);
    notes.push(`${kinds.join(" and ")}, counted as failed (every test must run):`, ...notRun.map((n) => `  ${n}`));
  }
  if (failures.length > 0) {
    notes.push(
      "failed:",
      ...failures.slice(0, SHOWN_FAILURES).map((f) => `  ${f}`),
      ...(failures.length > SHOWN_FAILURES ? [`  … and ${failures.length - SHOWN_FAILURES} more`] : []),
    );
  }
  if (!counts || counts.total === 0) {
    notes.push("no test ran");
    failed += 1;
  } else if (code !== 0 && failed === 0) {
    // e.g. coverage below the threshold, or a test file that timed out after its last assertion
    notes.push(`tap exited with ${code ?? "a signal"} although no test failed: see its output above`);
    failed = 1;
  }
  return { label, passed, failed, notes };
}

/**
 * A whole-project check as a step (`tsc -p .`, `biome ci .`, `knip`): one test that passes when `command` exits 0.
 * The check prints its own findings above.
 */
export function checkStep(command, code) {
  return code === 0
    ? { label: command, passed: 1, failed: 0, notes: [] }
    : { label: command, passed: 0, failed: 1, notes: [`${command} failed (exit ${code ?? "by a signal"}): see its output above`] };
}

/** The closing lines (one per step, its notes, then `N passed, N failed` last) and the exit code. */
export function summary(steps) {
  const lines = [];
  let passed = 0;
  let failed = 0;
  for (const step of steps) {
    lines.push(`${step.label}: ${step.passed} passed, ${step.failed} failed`, ...step.notes.map((n) => `  ${n}`));
    passed += step.passed;
    failed += step.failed;
  }
  lines.push(`${passed} passed, ${failed} failed`);
  return { lines, code: failed > 0 ? 1 : 0 };
}
