/** A categorical value as monitoring sees it; null and undefined are missing and not counted. */
export type CategoryValue = string | number | boolean | null | undefined;

/** Counts per category, keyed by the value's string form (so 1 and "1" are one category). */
export type CategoryCounts = ReadonlyMap<string, number>;

export function countCategories(values: Iterable<CategoryValue>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const key = String(value);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/**
 * Reference and current counts over the union of the categories seen in either, sorted by name so the order
 * (and every sum over it) is the same wherever it is computed. Categories with a zero count in both are left out:
 * they carry no information and would give a zero expected frequency.
 */
export function alignCategories(
  reference: CategoryCounts,
  current: CategoryCounts,
): { categories: string[]; reference: number[]; current: number[] } {
  for (const [what, counts] of [
    ["reference", reference],
    ["current", current],
  ] as const) {
    for (const [category, count] of counts) {
      if (!(Number.isInteger(count) && count >= 0)) {
        throw new RangeError(
          `${what} count of category ${JSON.stringify(category)} is ${count}; counts are integers ≥ 0`,
        );
      }
    }
  }
  const categories = [...new Set([...reference.keys(), ...current.keys()])]
    .filter((category) => (reference.get(category) ?? 0) + (current.get(category) ?? 0) > 0)
    .sort();
  return {
    categories,
    reference: categories.map((category) => reference.get(category) ?? 0),
    current: categories.map((category) => current.get(category) ?? 0),
  };
}
