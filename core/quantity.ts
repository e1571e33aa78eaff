/**
 * Kubernetes quantities (`1Gi`, `500m`, `1.5e9`) as exact fractions, for comparisons: one parser for the values
 * checks (a request above its limit) and the engine (a volume claim growing or shrinking).
 */

/** A quantity as an exact fraction, for comparisons (`1536Mi` = `1.5Gi`). */
interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

const SUFFIX: Record<string, [bigint, bigint]> = {
  "": [1n, 1n],
  n: [1n, 1_000_000_000n],
  u: [1n, 1_000_000n],
  m: [1n, 1000n],
  k: [1000n, 1n],
  M: [1000n ** 2n, 1n],
  G: [1000n ** 3n, 1n],
  T: [1000n ** 4n, 1n],
  P: [1000n ** 5n, 1n],
  E: [1000n ** 6n, 1n],
  Ki: [1024n, 1n],
  Mi: [1024n ** 2n, 1n],
  Gi: [1024n ** 3n, 1n],
  Ti: [1024n ** 4n, 1n],
  Pi: [1024n ** 5n, 1n],
  Ei: [1024n ** 6n, 1n],
};

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;

/** Parses a Kubernetes quantity (`1Gi`, `500M`, `1.5e9`); undefined when it is not one. */
export function parseQuantity(text: string): Fraction | undefined {
  const m = QUANTITY.exec(text);
  if (!m || !(m[2] || m[3])) return undefined;
  const [, sign, whole, frac = "", exp, suffix = ""] = m;
  let num = BigInt(`${whole}${frac}`) * (sign === "-" ? -1n : 1n); // digits before or after the point: checked above
  let den = 10n ** BigInt(frac.length);
  const [mul, div] = SUFFIX[suffix]!;
  num *= mul;
  den *= div;
  const e = Number(exp ?? 0);
  if (e >= 0) num *= 10n ** BigInt(e);
  else den *= 10n ** BigInt(-e);
  return { num, den };
}

/** -1, 0 or 1 as a < b, a = b, a > b; unparsable quantities compare equal (nothing to do about them). */
export function compareQuantities(a: string, b: string): -1 | 0 | 1 {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (!x || !y) return 0;
  const l = x.num * y.den;
  const r = y.num * x.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
