// Deterministic pseudo-random numbers for randomized tests and benchmark scenarios, so that
// a failure or a measurement reproduces from its seed (Math.random cannot be seeded).

/** A mulberry32 generator: numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
