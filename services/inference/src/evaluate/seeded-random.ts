/**
 * mulberry32: a tiny seeded generator of numbers in [0, 1). Evaluations must give the same
 * answer for the same seed, which Math.random cannot, and its 2^32 states are plenty for
 * shuffling a few thousand texts.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}
