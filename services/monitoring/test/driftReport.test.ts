import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReferenceStats } from "@gyre/model";
import { type DriftReportInput, renderDriftReport } from "../src/driftReport.ts";
import { escapeHtml, formatNumber, MAX_CHART_BARS } from "../src/reportChart.ts";
import { checkWindow } from "../src/windowCheck.ts";

const policy = { pValue: 0.05, correction: "bonferroni" as const, shareThreshold: 0.5, rule: "both" as const };

function reference(columns: ReferenceStats["columns"]): ReferenceStats {
  return {
    format: "gyre.reference-stats/v1",
    rows: 400,
    columns,
    label: { name: "weather", kind: "categorical", count: 0, missing: 0, categories: [], unknown: 0 },
  };
}

function numeric(name: string, sample: number[]): ReferenceStats["columns"][number] {
  return {
    name,
    kind: "numeric",
    count: sample.length,
    missing: 0,
    mean: 0,
    std: 1,
    min: Math.min(...sample),
    max: Math.max(...sample),
    quantiles: [],
    histogram: { edges: [], counts: [] },
    sample,
  };
}

function categorical(name: string, counts: Record<string, number>): ReferenceStats["columns"][number] {
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return {
    name,
    kind: "categorical",
    count: total,
    missing: 0,
    categories: Object.entries(counts).map(([value, count]) => ({ value, count, share: count / total })),
    unknown: 0,
  };
}

const range = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

function report(
  columns: ReferenceStats["columns"],
  rows: Record<string, unknown>[],
  extra: Partial<DriftReportInput> = {},
) {
  const check = checkWindow(
    reference(columns),
    rows,
    columns.map((column) => column.name),
    policy,
  );
  const input: DriftReportInput = {
    dataset: "weather",
    checkId: "batches-7",
    source: "batches",
    modelVersion: 3,
    referenceRows: 400,
    checkedAt: new Date("2025-01-02T03:04:05.000Z"),
    policy,
    check,
    status: check.datasetDrift ? "published" : "no-drift",
    eventId: check.datasetDrift ? "drift-weather-batches-7" : null,
    suppressedBy: null,
    ...extra,
  };
  return { html: renderDriftReport(input), check };
}

describe("renderDriftReport", () => {
  const columns = [
    numeric(
      "temp_max",
      range(400, (i) => (i % 40) - 5),
    ),
    numeric(
      "wind",
      range(400, (i) => (i % 10) / 2),
    ),
    categorical("sky", { clear: 200, cloudy: 200 }),
  ];
  const rows = range(200, (i) => ({
    temp_max: (i % 40) + 15,
    wind: (i % 10) / 2,
    sky: i % 4 === 0 ? "clear" : "cloudy",
  }));
  const { html, check } = report(columns, rows);

  const cases = [
    {
      name: "has a section with a chart for each feature",
      pattern:
        /id="feature-temp_max"[\s\S]*?<svg[\s\S]*?id="feature-wind"[\s\S]*?<svg[\s\S]*?id="feature-sky"[\s\S]*?<svg/,
    },
    {
      name: "names the dataset, check and model version",
      pattern: /Drift report: weather \/ batches-7[\s\S]*model version 3/,
    },
    { name: "states the decision and the event", pattern: /drift\.detected published: event drift-weather-batches-7/ },
    {
      name: "lists the test and statistic of each feature in the table",
      pattern: /<td>temp_max<\/td><td>ks<\/td><td>0\.5<\/td>/,
    },
    { name: "shows the corrected threshold (α / 3 features)", pattern: /<td>0\.01667<\/td>/ },
    {
      name: "marks drifted and stable features",
      pattern: /<td>wind<\/td>(?:<td>[^<]*<\/td>){9}<td><span class="badge ok">stable/,
    },
    {
      name: "says which rule decided and what fired: the shifted feature's p-value and its Wasserstein distance",
      pattern:
        /<td>temp_max<\/td>(?:<td>[^<]*<\/td>){4}<td>wasserstein [\d.]+<\/td><td>0\.1<\/td>(?:<td>[^<]*<\/td>){2}<td>p-value \+ wasserstein<\/td>[\s\S]*Rule: a feature drifted when both its p-value and its effect size fired/,
    },
    {
      name: "is self-contained: inline style, no scripts or external resources",
      pattern: /^<!doctype html>(?![\s\S]*<script)(?![\s\S]*(?:src|href)=)/,
    },
  ];
  for (const { name, pattern } of cases) test(name, () => assert.match(html, pattern));

  test("reports what checkWindow found", () => {
    assert.deepEqual(check.driftedFeatures.sort(), ["sky", "temp_max"]);
    assert.equal(check.datasetDrift, true);
  });
});

describe("renderDriftReport escapes HTML", () => {
  const hostile = [
    {
      name: "a category",
      column: categorical("sky", { "<script>alert(1)</script>": 10, 'a"b': 10 }),
      value: "<script>alert(1)</script>",
    },
    {
      name: "a feature name",
      column: numeric(
        "<b>x</b>&",
        range(50, (i) => i),
      ),
      value: 3,
    },
  ];
  for (const { name, column, value } of hostile) {
    test(`in ${name}`, () => {
      const { html } = report(
        [column],
        range(20, () => ({ [column.name]: value })),
      );
      assert.doesNotMatch(html, /<script>alert|<b>x<\/b>/);
      assert.ok(html.includes(escapeHtml(column.name)));
    });
  }

  test("in check ids and the suppressing event", () => {
    const column = numeric(
      "t",
      range(50, (i) => i),
    );
    const { html } = report(
      [column],
      range(20, (i) => ({ t: i })),
      {
        checkId: "<i>",
        status: "suppressed",
        suppressedBy: "drift-<x>",
      },
    );
    assert.match(html, /&lt;i&gt;[\s\S]*suppressed by the cooldown of drift-&lt;x&gt;/);
  });
});

describe("charts", () => {
  test("name how many categories they leave out beyond the most frequent", () => {
    const many = Object.fromEntries(range(MAX_CHART_BARS + 5, (i) => i).map((i) => [`c${i}`, i + 1]));
    const { html } = report(
      [categorical("code", many)],
      range(30, (i) => ({ code: `c${i}` })),
    );
    assert.match(html, /\+5 more categories/);
    assert.equal((html.match(/<rect class="ref"/g) ?? []).length, MAX_CHART_BARS);
  });
});

describe("formatNumber", () => {
  const cases = [
    [0, "0"],
    [0.123456, "0.1235"],
    [12345.678, "12350"],
    [0.00001234, "1.23e-5"],
    [2.5e7, "2.50e+7"],
    [Number.NaN, "NaN"],
  ] as const;
  for (const [value, expected] of cases)
    test(`${value} → ${expected}`, () => assert.equal(formatNumber(value), expected));
});
