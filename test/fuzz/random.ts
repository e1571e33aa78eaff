/** The seeded random source of the fuzz generator (test/fuzz/generate.ts): each case is reproducible from its seed. */

export type Random = () => number;

/** mulberry32: small, fast, good enough to spread mutations. */
export function random(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rng: Random, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
export const chance = (rng: Random, p: number) => rng() < p;
