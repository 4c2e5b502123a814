import type { DatasetSpec } from "@gyre/spec";

export type PromotionPolicy = DatasetSpec["promotion"];
export type PolicyMetric = PromotionPolicy["metric"];
export type Metrics = Readonly<Record<string, number>>;

/** +1 where a higher value is better, -1 where lower is better. */
export const METRIC_DIRECTION: Readonly<Record<PolicyMetric, 1 | -1>> = {
  accuracy: 1,
  macro_f1: 1,
  roc_auc: 1,
  log_loss: -1,
  rmse: -1,
  mae: -1,
};

export interface PromotionInput {
  policy: PromotionPolicy;
  /** The candidate's metrics on the holdout. */
  candidate: Metrics;
  /** The champion the trainer evaluated on the same holdout, as model.trained says; null when it found none. */
  evaluated: { version: number; metrics: Metrics } | null;
  /** The registry's champion now; null when the dataset has none. */
  champion: number | null;
}

export interface PromotionDecision {
  promote: boolean;
  /** Names the metric and both values (or what was missing). */
  reason: string;
}

// Differences this small are floating-point noise, not an improvement or a degradation.
const EPSILON = 1e-9;

/**
 * The promotion policy of a dataset spec applied to one candidate: with no champion the candidate is promoted (first
 * model); otherwise it must beat the champion's primary metric, measured on the same holdout, by at least
 * `minImprovement` (a tie is no improvement), and no guard metric may get worse by more than its `maxDegradation`.
 */
export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { policy, candidate, evaluated, champion } = input;
  const metric = policy.metric;
  const value = candidate[metric];
  if (value === undefined) {
    const has = Object.keys(candidate).sort().join(", ") || "none";
    return reject(`candidate has no ${metric}, the promotion metric (its metrics: ${has})`);
  }
  if (champion === null) {
    return { promote: true, reason: `promoted: first model, no champion yet; ${metric} ${value.toFixed(3)}` };
  }
  if (evaluated === null || evaluated.version !== champion) {
    const compared = evaluated === null ? "no champion" : `version ${evaluated.version}`;
    return reject(
      `the trainer compared the candidate with ${compared}, but version ${champion} is the champion: ` +
        "not comparable on the same holdout; train again to compare",
    );
  }
  const championValue = evaluated.metrics[metric];
  if (championValue === undefined) {
    return reject(`champion version ${champion} has no ${metric} on the holdout, so the candidate cannot beat it`);
  }

  const improvement = METRIC_DIRECTION[metric] * (value - championValue);
  const decimals = pairDecimals(value, championValue);
  const [shown, championShown] = [value.toFixed(decimals), championValue.toFixed(decimals)];
  const needed = formatNumber(policy.minImprovement);
  if (improvement <= EPSILON || improvement < policy.minImprovement - EPSILON) {
    return reject(
      `${metric} ${shown} does not beat champion ${championShown} by at least ${needed}${lowerIsBetter(metric)}`,
    );
  }
  const primary = `${metric} ${shown} ${METRIC_DIRECTION[metric] > 0 ? ">" : "<"} champion ${championShown} (by ${improvement.toFixed(decimals)}, at least ${needed} needed)`;

  const guards = policy.guards.map((guard) => checkGuard(guard, candidate, evaluated.metrics));
  const failed = guards.filter((guard) => !guard.ok);
  if (failed.length > 0) {
    return reject(`${primary}, but ${failed.map((guard) => guard.text).join("; ")}`);
  }
  return { promote: true, reason: [`promoted: ${primary}`, ...guards.map((guard) => guard.text)].join("; ") };
}

function reject(reason: string): PromotionDecision {
  return { promote: false, reason };
}

function lowerIsBetter(metric: PolicyMetric): string {
  return METRIC_DIRECTION[metric] < 0 ? " (lower is better)" : "";
}

interface GuardResult {
  ok: boolean;
  text: string;
}

function checkGuard(guard: PromotionPolicy["guards"][number], candidate: Metrics, champion: Metrics): GuardResult {
  const { metric, maxDegradation } = guard;
  const value = candidate[metric];
  const championValue = champion[metric];
  if (value === undefined) return { ok: false, text: `guard ${metric}: the candidate has no ${metric}` };
  if (championValue === undefined) {
    return { ok: true, text: `guard ${metric} not measured for the champion, not checked` };
  }
  const decimals = pairDecimals(value, championValue);
  const [shown, championShown] = [value.toFixed(decimals), championValue.toFixed(decimals)];
  const degradation = METRIC_DIRECTION[metric] * (championValue - value);
  if (degradation > maxDegradation + EPSILON) {
    return {
      ok: false,
      text: `guard ${metric} ${shown} vs champion ${championShown} is worse by ${degradation.toFixed(decimals)}, more than the ${formatNumber(maxDegradation)} allowed`,
    };
  }
  return { ok: true, text: `guard ${metric} ${shown} vs ${championShown} ok` };
}

/** A policy threshold: three decimals, or as many more (up to 8) as it takes to show it exactly. */
export function formatNumber(value: number): string {
  for (let decimals = 3; decimals < 8; decimals++) {
    const text = value.toFixed(decimals);
    if (Number(text) === value) return text;
  }
  return value.toFixed(8);
}

/** Decimals to show two values with: three, or more (up to 8) until they read differently. */
export function pairDecimals(a: number, b: number): number {
  for (let decimals = 3; decimals <= 8; decimals++) {
    if (a.toFixed(decimals) !== b.toFixed(decimals)) return decimals;
  }
  return 3;
}
