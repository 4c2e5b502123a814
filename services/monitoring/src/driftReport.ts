import type { DriftReference } from "@gyre/contracts";
import type { Correction } from "./correction.ts";
import type { DriftRule } from "./driftDecision.ts";
import type { WindowSource } from "./driftEvents.ts";
import { escapeHtml, formatNumber, histogramSvg } from "./reportChart.ts";
import type { FeatureVerdictWithChart, WindowCheck } from "./windowCheck.ts";

/** What became of a window check: drift.detected went out, the cooldown held it back, or nothing drifted. */
export type CheckStatus = "published" | "suppressed" | "no-drift";

export interface DriftReportInput {
  dataset: string;
  checkId: string;
  source: WindowSource;
  /** The champion whose training reference the window was compared with. */
  modelVersion: number;
  /** Training rows behind the reference statistics. */
  referenceRows: number;
  /** What the window was compared with; the champion's training reference when unset. */
  reference?: DriftReference;
  checkedAt: Date;
  policy: { pValue: number; correction: Correction; shareThreshold: number; rule?: DriftRule };
  check: WindowCheck;
  status: CheckStatus;
  eventId: string | null;
  suppressedBy: string | null;
}

const SOURCE_NAMES: Record<WindowSource, string> = {
  batches: "validated batches (data.validated)",
  predictions: "serving inputs (predictions.logged)",
};

const STATUS_TEXT: Record<CheckStatus, string> = {
  published: "drift.detected published",
  suppressed: "drift found, drift.detected suppressed by the cooldown",
  "no-drift": "no dataset drift",
};

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:960px;color:#1d2433;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:0}
.muted{color:#5b6478}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #dde1ea;border-radius:8px;padding:10px 14px;min-width:130px}
.card b{display:block;font-size:20px}.drift{color:#b42318}.ok{color:#067647}
table{border-collapse:collapse;width:100%}th,td{text-align:right;padding:5px 8px;border-bottom:1px solid #eceff4}
th:first-child,td:first-child{text-align:left}th{font-weight:600;background:#f6f7fa}
.badge{display:inline-block;border-radius:10px;padding:0 8px;font-size:12px;font-weight:600}
.badge.drift{background:#fee4e2}.badge.ok{background:#dcfae6}
.feature{border:1px solid #dde1ea;border-radius:8px;padding:12px 14px;margin:14px 0}
.feature header{display:flex;justify-content:space-between;align-items:baseline;gap:12px;flex-wrap:wrap}
.chart{width:100%;height:auto;margin-top:8px}.chart .ref{fill:#7a8cb8}.chart .cur{fill:#f79009}
.chart .axis{font-size:11px;fill:#5b6478}.chart .base{stroke:#98a2b3}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px;vertical-align:middle}
`;

/**
 * The drift report of one window check as a self-contained HTML page (inline CSS and SVG, no scripts): a summary of
 * the dataset decision, a table of every tested feature, and per feature the reference and current distributions
 * with the test, statistic, p-value, corrected threshold, PSI, JS distance and whether it drifted. Every name and
 * category is escaped.
 */
export function renderDriftReport(input: DriftReportInput): string {
  const { check, policy } = input;
  const title = `Drift report: ${input.dataset} / ${input.checkId}`;
  return [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="muted">Current window: ${escapeHtml(SOURCE_NAMES[input.source])}, ${check.rows} rows. Reference: ${escapeHtml(referenceText(input))}. Checked ${escapeHtml(input.checkedAt.toISOString())}.</p>`,
    summaryCards(input),
    `<p>${escapeHtml(outcomeLine(input))}</p>`,
    "<h2>Features</h2>",
    featureTable(check.features),
    '<p class="legend muted">Distributions:<span style="background:#7a8cb8"></span>reference<span style="background:#f79009"></span>current (share of rows per bin)</p>',
    ...check.features.map(featureSection),
    `<p class="muted">Numeric features: two-sample Kolmogorov–Smirnov against the reference sample; categorical: chi-square homogeneity against the reference counts. PSI and Jensen–Shannon distance over the reference's quantile bins (numeric) or the categories. The p-value fires when it is at most the threshold: α = ${formatNumber(policy.pValue)} after the ${escapeHtml(policy.correction)} correction over ${check.features.length} features. The effect size fires when it reaches its threshold: Wasserstein distance over the reference's standard deviation (numeric), PSI (categorical). ${escapeHtml(RULE_TEXT[policy.rule ?? "p-value"])}</p>`,
    "</body></html>",
    "",
  ].join("\n");
}

function referenceText(input: DriftReportInput): string {
  const reference = input.reference;
  if (reference?.kind === "same-season") {
    return `the same season: months ${(reference.months ?? []).join(", ")} of the years before ${reference.before} (${reference.rows} rows seen by monitoring)`;
  }
  return `the training rows of model version ${input.modelVersion} (${input.referenceRows} rows)`;
}

function summaryCards(input: DriftReportInput): string {
  const { check, policy } = input;
  const card = (label: string, value: string, tone = "") =>
    `<div class="card"><span class="muted">${escapeHtml(label)}</span><b class="${tone}">${escapeHtml(value)}</b></div>`;
  return [
    '<div class="cards">',
    card("Dataset drift", check.datasetDrift ? "detected" : "not detected", check.datasetDrift ? "drift" : "ok"),
    card("Drifted features", `${check.driftedFeatures.length} of ${check.features.length}`),
    card("Share drifted", `${formatNumber(check.share)} (threshold ${formatNumber(policy.shareThreshold)})`),
    card("Correction", policy.correction),
    card("Window rows", String(check.rows)),
    card("Model version", String(input.modelVersion)),
    "</div>",
  ].join("");
}

function outcomeLine(input: DriftReportInput): string {
  if (input.status === "published") return `${STATUS_TEXT.published}: event ${input.eventId ?? ""}.`;
  if (input.status === "suppressed") return `${STATUS_TEXT.suppressed} of ${input.suppressedBy ?? "an earlier event"}.`;
  return `${STATUS_TEXT["no-drift"]}.`;
}

const RULE_TEXT: Record<DriftRule, string> = {
  both: "Rule: a feature drifted when both its p-value and its effect size fired.",
  "p-value": "Rule: a feature drifted when its p-value fired.",
  "effect-size": "Rule: a feature drifted when its effect size fired.",
};

/** "p-value + wasserstein", or "none". */
function firedText(feature: FeatureVerdictWithChart): string {
  return feature.firedBy.length === 0 ? "none" : feature.firedBy.join(" + ");
}

function featureTable(features: readonly FeatureVerdictWithChart[]): string {
  const rows = features.map(
    (feature) =>
      `<tr><td>${escapeHtml(feature.name)}</td><td>${feature.test}</td><td>${formatNumber(feature.statistic)}</td><td>${formatNumber(feature.pValue)}</td><td>${formatNumber(feature.threshold)}</td><td>${feature.effect.measure} ${formatNumber(feature.effect.value)}</td><td>${formatNumber(feature.effectThreshold ?? Number.NaN)}</td><td>${formatNumber(feature.psi)}</td><td>${formatNumber(feature.jsd)}</td><td>${escapeHtml(firedText(feature))}</td><td>${badge(feature.drifted)}</td></tr>`,
  );
  return [
    "<table><thead><tr><th>Feature</th><th>Test</th><th>Statistic</th><th>p-value</th><th>Threshold</th><th>Effect size</th><th>Effect threshold</th><th>PSI</th><th>JS distance</th><th>Fired</th><th>Drift</th></tr></thead><tbody>",
    ...rows,
    "</tbody></table>",
  ].join("\n");
}

function badge(drifted: boolean): string {
  return drifted ? '<span class="badge drift">drifted</span>' : '<span class="badge ok">stable</span>';
}

function featureSection(feature: FeatureVerdictWithChart): string {
  const test = feature.test === "ks" ? "Kolmogorov–Smirnov" : "chi-square";
  return [
    `<section class="feature" id="feature-${escapeHtml(feature.name)}"><header><h3>${escapeHtml(feature.name)} ${badge(feature.drifted)}</h3>`,
    `<span class="muted">${test}: statistic ${formatNumber(feature.statistic)}, p-value ${formatNumber(feature.pValue)} (threshold ${formatNumber(feature.threshold)}, adjusted ${formatNumber(feature.adjustedPValue)}); ${feature.effect.measure} ${formatNumber(feature.effect.value)} (threshold ${formatNumber(feature.effectThreshold ?? Number.NaN)}); fired: ${escapeHtml(firedText(feature))} (rule ${feature.rule}); PSI ${formatNumber(feature.psi)}; JS distance ${formatNumber(feature.jsd)}; ${feature.referenceCount} reference and ${feature.currentCount} current values</span></header>`,
    histogramSvg(feature.name, feature.chart),
    "</section>",
  ].join("\n");
}
