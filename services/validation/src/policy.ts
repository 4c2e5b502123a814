import type { BatchProblem } from "./columnCheck.ts";

export type BatchDecision = { decision: "accept" | "reject"; reason: string };

export type BatchOutcome = { rowCount: number; invalidRowCount: number; batchProblems: readonly BatchProblem[] };

/**
 * The spec's validation policy: a batch with any batch-level problem, or whose share of invalid rows is
 * above `maxInvalidShare`, is rejected whole; otherwise its invalid rows are quarantined and the rest pass.
 * A share equal to the threshold is accepted.
 */
export function decideBatch(maxInvalidShare: number, outcome: BatchOutcome): BatchDecision {
  if (outcome.batchProblems.length > 0) {
    return { decision: "reject", reason: outcome.batchProblems.map((problem) => problem.reason).join("; ") };
  }
  const share = invalidShare(outcome.rowCount, outcome.invalidRowCount);
  const measured = `invalid share ${formatShare(share)} (${outcome.invalidRowCount} of ${outcome.rowCount} rows)`;
  if (share > maxInvalidShare) {
    return { decision: "reject", reason: `${measured} is above the spec's maxInvalidShare ${maxInvalidShare}` };
  }
  if (outcome.invalidRowCount === 0) return { decision: "accept", reason: `all ${outcome.rowCount} rows are valid` };
  return {
    decision: "accept",
    reason: `${measured} is within the spec's maxInvalidShare ${maxInvalidShare}; ${outcome.invalidRowCount} row(s) quarantined`,
  };
}

export function invalidShare(rowCount: number, invalidRowCount: number): number {
  return rowCount === 0 ? 0 : invalidRowCount / rowCount;
}

/** At most four decimals for people; the report keeps the exact share. */
function formatShare(share: number): string {
  return String(Number(share.toFixed(4)));
}
