import gammainc from "@stdlib/math-base-special-gammainc";
import { alignCategories, type CategoryCounts } from "./categoryCounts.ts";

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  degreesOfFreedom: number;
  /** The categories the table was built over (the union of both samples), in the order of the sums. */
  categories: string[];
}

/**
 * Chi-square test of homogeneity: do the reference and the current sample come from the same categorical
 * distribution? The 2 × k contingency table has one row per sample and one column per category seen in either
 * (categories absent from both are dropped, so no expected frequency is zero). Matches
 * scipy.stats.chi2_contingency([reference, current]) including its default Yates continuity correction, which
 * scipy applies only when there is one degree of freedom (two categories); pass `yates: false` to turn it off.
 * With a single category there is nothing to compare: statistic 0, p-value 1, zero degrees of freedom (as scipy).
 * The p-value is the chi-square survival function, the regularized upper incomplete gamma Q(dof/2, χ²/2) from
 * @stdlib/math-base-special-gammainc.
 */
export function chiSquareHomogeneity(
  reference: CategoryCounts,
  current: CategoryCounts,
  options: { yates?: boolean } = {},
): ChiSquareResult {
  const table = alignCategories(reference, current);
  const referenceTotal = sum(table.reference);
  const currentTotal = sum(table.current);
  if (referenceTotal === 0 || currentTotal === 0) {
    const empty = referenceTotal === 0 ? "reference" : "current";
    throw new RangeError(`chi-square: the ${empty} sample has no counted values; both samples need at least one`);
  }
  const degreesOfFreedom = table.categories.length - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, pValue: 1, degreesOfFreedom, categories: table.categories };

  const yates = (options.yates ?? true) && degreesOfFreedom === 1;
  const total = referenceTotal + currentTotal;
  let statistic = 0;
  for (const [row, rowTotal] of [
    [table.reference, referenceTotal],
    [table.current, currentTotal],
  ] as const) {
    row.forEach((observed, column) => {
      const columnTotal = (table.reference[column] as number) + (table.current[column] as number);
      const expected = (rowTotal * columnTotal) / total;
      let difference = observed - expected;
      // Yates: move each observed count up to 0.5 towards its expected value.
      if (yates) difference = Math.sign(difference) * Math.max(Math.abs(difference) - 0.5, 0);
      statistic += (difference * difference) / expected;
    });
  }
  return {
    statistic,
    pValue: gammainc(statistic / 2, degreesOfFreedom / 2, true, true),
    degreesOfFreedom,
    categories: table.categories,
  };
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}
