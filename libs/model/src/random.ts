/** Seeded pseudo-random numbers for everything in a run that would otherwise use Math.random. */

/** mulberry32: a 32-bit state generator, uniform in [0, 1). Small, fast and plenty for shuffling and sampling. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed for one named use of the run seed ("kernel", layer 2; "shuffle", epoch 7), so that each initializer and
 * each epoch's order has its own stream and adding a layer does not shift the others. FNV-1a over the parts.
 */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const part of [String(seed), ...parts.map(String)]) {
    for (let i = 0; i < part.length; i++) {
      hash ^= part.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    hash ^= 0x1f; // separates ("1", "23") from ("12", "3")
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = order[i] as number;
    order[i] = order[j] as number;
    order[j] = held;
  }
  return order;
}

/** Up to `size` items drawn without replacement, in their original order. */
export function sampleWithoutReplacement<T>(items: readonly T[], size: number, random: () => number): T[] {
  if (items.length <= size) return [...items];
  const chosen = permutation(items.length, random).subarray(0, size).sort();
  return Array.from(chosen, (index) => items[index] as T);
}
