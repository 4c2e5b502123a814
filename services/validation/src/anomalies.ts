import type { DatasetSpec, FeatureSpec } from "@gyre/spec";
import type { RowProblem, RowProblemKind } from "./rowCheck.ts";

/** Every row problem of one kind in one column, counted, with a few examples and a sentence for people. */
export type Anomaly = {
  column: string;
  kind: RowProblemKind;
  /** Rows with this problem (a row has at most one problem per column). */
  count: number;
  /** The first three problems, in row order. */
  examples: RowProblem[];
  reason: string;
};

const EXAMPLES_PER_ANOMALY = 3;

/** Groups row problems by (column, kind), most frequent first, then by column and kind. */
export function aggregateAnomalies(spec: DatasetSpec, problems: readonly RowProblem[], rowCount: number): Anomaly[] {
  const groups = new Map<string, RowProblem[]>();
  for (const problem of problems) {
    const key = JSON.stringify([problem.column, problem.kind]);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [problem]);
    else group.push(problem);
  }
  const anomalies = [...groups.values()].map((group): Anomaly => {
    const [{ column, kind }] = group as [RowProblem, ...RowProblem[]];
    const examples = [...group].sort((a, b) => a.row - b.row).slice(0, EXAMPLES_PER_ANOMALY);
    const rows = `${group.length} of ${rowCount} row(s)`;
    return {
      column,
      kind,
      count: group.length,
      examples,
      reason: `${rows}: ${column} ${kindPhrase(spec, column, kind)}`,
    };
  });
  return anomalies.sort(
    (a, b) => b.count - a.count || a.column.localeCompare(b.column) || a.kind.localeCompare(b.kind),
  );
}

function kindPhrase(spec: DatasetSpec, column: string, kind: RowProblemKind): string {
  const feature = spec.features.find((candidate) => candidate.name === column);
  switch (kind) {
    case "type":
      return `is not ${expectedValue(feature?.type ?? spec.label.type)}`;
    case "null":
      return "is empty, but the feature is not nullable";
    case "range":
      return `is outside the allowed range ${rangeText(feature)}`;
    case "category":
      return "is not one of the declared categories";
    case "label_missing":
      return "has no label";
    case "label_class":
      return "is not one of the label classes";
    case "not_finite":
      return "is NaN or infinite";
  }
}

function expectedValue(type: FeatureSpec["type"]): string {
  switch (type) {
    case "numeric":
      return "a number";
    case "integer":
      return "an integer";
    case "boolean":
      return "true or false";
    case "timestamp":
      return "an ISO 8601 date or datetime";
    case "categorical":
      return "a string";
  }
}

function rangeText(feature: FeatureSpec | undefined): string {
  return `[${feature?.min ?? "-∞"}, ${feature?.max ?? "∞"}]`;
}
