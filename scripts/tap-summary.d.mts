// Types of scripts/tap-summary.mjs (plain JavaScript, as `node scripts/test.mjs` runs it), for the tests.
export interface TapCounts {
  total: number;
  pass: number;
  fail: number;
  skip: number;
  todo: number;
}
export interface TapRead {
  counts: TapCounts | undefined;
  notRun: string[];
  /** The innermost failed tests, as `file > subtest > assertion`. */
  failures?: string[];
}
export interface Step {
  label: string;
  passed: number;
  failed: number;
  notes: string[];
}
export function tapReader(): { write(chunk: string): void; end(): TapRead };
export function tapStep(label: string, read: TapRead, code: number | null): Step;
export function checkStep(command: string, code: number | null): Step;
export function summary(steps: readonly Step[]): { lines: string[]; code: number };
