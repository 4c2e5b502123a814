import { Chart, num, Table, useApi } from "../lib.tsx";

interface ReferenceColumn {
  name: string;
  kind: "numeric" | "categorical";
  count: string | number;
  missing: string | number;
  mean: number;
  std: number;
  min: number;
  max: number;
  categories: { value: string; count: string | number; share: number }[];
}
interface BatchStatistics {
  count?: number;
  mean?: number | null;
  std?: number | null;
  categories?: Record<string, number>;
}
interface FeatureDrift {
  name: string;
  test: string;
  statistic: number;
  p_value: number;
  psi: number;
  drifted: boolean;
}
export interface FeatureView {
  reference: {
    model_version: string | number;
    run_id: string;
    rows: string | number;
    columns: ReferenceColumn[];
    label?: ReferenceColumn;
  } | null;
  latestDataCheck: { id: string; checked_at: string; features: FeatureDrift[] } | null;
  batches: { batchId: string; validatedAt: string; rows?: number; statistics?: Record<string, BatchStatistics> }[];
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

/** Shares of each category in one batch's counts. */
function shares(categories: Record<string, number> | undefined): Map<string, number> {
  const total = Object.values(categories ?? {}).reduce((a, b) => a + b, 0);
  return new Map(Object.entries(categories ?? {}).map(([value, count]) => [value, total ? count / total : 0]));
}

/**
 * The champion's training reference beside the recent validated batches, per model input column: mean and sd (or
 * category shares), the newest batch's, the recent batches' average, and the newest data drift check's test.
 */
export function FeatureReference(props: { dataset: string; version: number }) {
  const loaded = useApi<FeatureView>(`/api/datasets/${encodeURIComponent(props.dataset)}/features`, props.version);
  const data = loaded.data;
  if (loaded.error) {
    return (
      <p class="error" role="alert">
        Could not load the feature statistics: {loaded.error}
      </p>
    );
  }
  if (!data) return <p aria-busy="true">Loading the feature statistics…</p>;
  if (!data.reference) return <p class="muted">no champion yet: no training reference to compare with</p>;
  const batches = data.batches.filter((batch) => batch.statistics);
  const newest = batches[0];
  const oldestFirst = [...batches].reverse();
  const tests = new Map((data.latestDataCheck?.features ?? []).map((feature) => [feature.name, feature]));
  const columns = data.reference.columns;
  const numeric = columns.filter((column) => column.kind === "numeric");
  const testCells = (name: string) => {
    const test = tests.get(name);
    return test
      ? [
          `${test.test} ${num(test.statistic)}`,
          test.p_value < 0 ? "—" : num(test.p_value),
          num(test.psi),
          test.drifted ? "drifted" : "no",
        ]
      : ["—", "—", "—", "—"];
  };
  return (
    <section aria-labelledby="reference-title">
      <h2 id="reference-title">Recent batches against the champion's training reference</h2>
      <p class="muted">
        Reference: the training rows of v{String(data.reference.model_version)} ({String(data.reference.rows)} rows).
        Batches: the {batches.length} newest validated. Tests: the newest data drift check
        {data.latestDataCheck ? ` (${data.latestDataCheck.id})` : " (none yet)"}.
      </p>
      <Table
        caption="Numeric features: reference mean and sd against the newest batch and the recent batches"
        id="feature-reference"
        head={[
          "feature",
          "reference mean",
          "reference sd",
          "newest batch mean",
          "newest batch sd",
          "recent batches mean",
          "test statistic",
          "p-value",
          "PSI",
          "drift",
        ]}
        rows={numeric.map((column) => {
          const stats = newest?.statistics?.[column.name];
          const recent = mean(
            batches.flatMap((batch) => {
              const value = batch.statistics?.[column.name]?.mean;
              return typeof value === "number" ? [value] : [];
            }),
          );
          return [
            <span key="n" data-feature={column.name}>
              {column.name}
            </span>,
            <span key="rm" class="reference-mean">
              {num(column.mean)}
            </span>,
            num(column.std),
            <span key="bm" class="batch-mean">
              {num(stats?.mean)}
            </span>,
            num(stats?.std),
            num(recent),
            ...testCells(column.name),
          ];
        })}
      />
      <Table
        caption="Categorical features and the label: reference share of each category against the newest batch's"
        id="category-reference"
        head={[
          "feature",
          "category",
          "reference share",
          "newest batch share",
          "test statistic",
          "p-value",
          "PSI",
          "drift",
        ]}
        rows={[...columns, ...(data.reference.label ? [{ ...data.reference.label, label: true }] : [])]
          .filter((column) => column.kind === "categorical")
          .flatMap((column) => {
            const batchShares = shares(newest?.statistics?.[column.name]?.categories);
            return column.categories.map((category, i) => [
              i === 0 ? `${column.name}${"label" in column ? " (label)" : ""}` : "",
              category.value,
              num(category.share),
              num(batchShares.get(category.value) ?? (newest ? 0 : null)),
              ...(i === 0 ? testCells(column.name) : ["", "", "", ""]),
            ]);
          })}
      />
      <div class="feature-charts">
        {numeric.map((column) => (
          <Chart
            key={column.name}
            id={`feature-${column.name}`}
            title={`${column.name}: batch mean against the reference mean ± sd`}
            xLabel="batch"
            x={oldestFirst.map((_, i) => i + 1)}
            xText={oldestFirst.map((batch) => batch.batchId)}
            height={160}
            series={[
              {
                label: "batch mean",
                values: oldestFirst.map((batch) => batch.statistics?.[column.name]?.mean ?? null),
              },
              { label: "reference mean", values: oldestFirst.map(() => column.mean) },
              { label: "reference + sd", values: oldestFirst.map(() => column.mean + column.std) },
              { label: "reference − sd", values: oldestFirst.map(() => column.mean - column.std) },
            ]}
          />
        ))}
      </div>
    </section>
  );
}
