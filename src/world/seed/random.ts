/**
 * Seeded randomness for the fleet generator. Everything generated is a pure function of the
 * seed, so the same seed gives byte-identical files on every machine and Node version.
 */

/** A stateful stream of numbers in [0, 1) (mulberry32: tiny, fast, good enough for test data). */
export type Random = {
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Float in [min, max). */
  float(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Unsigned 32-bit integer, e.g. the seed of a derived stream. */
  uint32(): number;
  /** Standard normal sample (Box-Muller). */
  normal(): number;
};

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    uint32: () => Math.floor(next() * 4294967296) >>> 0,
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
  };
  return random;
}

/**
 * Stateless hash of a few integers to [0, 1): lets a metric value be a pure function of
 * (seed, line index, gpu) without replaying a stream up to that line.
 */
export function hash01(a: number, b: number, c = 0, d = 0): number {
  let h = fmix32(a + 0x9e3779b9);
  h = fmix32(h ^ Math.imul(b + 0x7f4a7c15, 0xcc9e2d51));
  h = fmix32(h ^ Math.imul(c + 0x2545f491, 0x1b873593));
  h = fmix32(h ^ Math.imul(d + 0x4f1bbcdd, 0xe6546b64));
  return (h >>> 0) / 4294967296;
}

/** The murmur3 32-bit finaliser: every input bit affects every output bit. */
function fmix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Derives an independent seed from a parent seed and a label (e.g. a team index). */
export function deriveSeed(seed: number, label: number): number {
  return Math.floor(hash01(seed, label, 0x5eed) * 4294967296) >>> 0;
}

/** Seeds given as text (the --seed flag accepts any string) hash to a 32-bit seed. */
export function seedFromText(text: string): number {
  if (/^\d+$/.test(text) && Number(text) <= 0xffffffff) return Number(text);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
