import type { FeatureRow } from "@gyre/model";
import type { DatasetSpec, TransformSpec } from "@gyre/spec";

/**
 * The model's inputs for the rows of one validated batch, which carry the spec's features but not its transforms:
 * every transform is computed here, the way the feature store computes it (UTC date parts; a ratio is null for a
 * missing or zero denominator; lags and rolling means per entity over rows with a strictly earlier event time).
 * Lags and rolling means see only the batch, so an entity's first rows in it lack the history the feature store
 * would give them: those columns are approximate here, and historyColumns names them so that drift tests on
 * batches leave them out.
 */
export function withTransforms(spec: DatasetSpec, rows: readonly FeatureRow[]): Record<string, unknown>[] {
  const output = rows.map((row) => ({ ...row }) as Record<string, unknown>);
  const order = timeOrder(spec, output);
  for (const transform of spec.transforms) {
    switch (transform.kind) {
      case "datePart":
        for (const row of output) row[transform.name] = datePartOf(row[transform.from], transform.part);
        break;
      case "ratio":
        for (const row of output) row[transform.name] = ratioOf(row[transform.numerator], row[transform.denominator]);
        break;
      case "lag":
      case "rollingMean":
        applyWindow(transform, output, order);
        break;
    }
  }
  return output;
}

/** Transform outputs that depend on earlier rows (lags, rolling means, and anything computed from them). */
export function historyColumns(spec: Pick<DatasetSpec, "transforms">): Set<string> {
  const history = new Set<string>();
  for (const transform of spec.transforms) {
    if (transform.kind === "lag" || transform.kind === "rollingMean") history.add(transform.name);
    else if (transformInputs(transform).some((input) => history.has(input))) history.add(transform.name);
  }
  return history;
}

function transformInputs(transform: TransformSpec): string[] {
  switch (transform.kind) {
    case "datePart":
      return [transform.from];
    case "ratio":
      return [transform.numerator, transform.denominator];
    default:
      return [transform.column];
  }
}

type DatePart = Extract<TransformSpec, { kind: "datePart" }>["part"];

export function datePartOf(value: unknown, part: DatePart): number | null {
  const millis = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) return null;
  const date = new Date(millis);
  switch (part) {
    case "year":
      return date.getUTCFullYear();
    case "month":
      return date.getUTCMonth() + 1;
    case "dayOfYear":
      return Math.floor((millis - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
    case "dayOfWeek":
      return date.getUTCDay();
    case "hour":
      return date.getUTCHours();
  }
}

function ratioOf(numerator: unknown, denominator: unknown): number | null {
  if (typeof numerator !== "number" || typeof denominator !== "number" || denominator === 0) return null;
  return numerator / denominator;
}

/** Row indices per entity in (event time, position) order, with where each row's group of equal times starts. */
interface EntityOrder {
  rows: number[];
  /** For each position in `rows`, the position of the first row with the same event time. */
  groupStart: number[];
}

function timeOrder(spec: DatasetSpec, rows: readonly Record<string, unknown>[]): EntityOrder[] {
  const entities = new Map<string, number[]>();
  rows.forEach((row, index) => {
    const entity = spec.entityKey === undefined ? "" : String(row[spec.entityKey] ?? "");
    const list = entities.get(entity) ?? [];
    list.push(index);
    entities.set(entity, list);
  });
  const time = (index: number) => {
    const millis = Date.parse(String(rows[index]?.[spec.eventTime] ?? ""));
    return Number.isNaN(millis) ? Number.NEGATIVE_INFINITY : millis;
  };
  return [...entities.values()].map((indices) => {
    const sorted = [...indices].sort((a, b) => time(a) - time(b) || a - b);
    const groupStart: number[] = [];
    sorted.forEach((index, position) => {
      const previous = sorted[position - 1];
      const same = previous !== undefined && time(previous) === time(index);
      groupStart.push(same ? (groupStart[position - 1] as number) : position);
    });
    return { rows: sorted, groupStart };
  });
}

/** A lag or rolling mean over each entity's strictly earlier rows in the batch. */
function applyWindow(
  transform: Extract<TransformSpec, { kind: "lag" | "rollingMean" }>,
  rows: Record<string, unknown>[],
  order: readonly EntityOrder[],
): void {
  for (const { rows: indices, groupStart } of order) {
    const values = indices.map((index) => rows[index]?.[transform.column]);
    const results = indices.map((_, position) => {
      const start = groupStart[position] as number;
      if (transform.kind === "lag") {
        const value = values[start - transform.lag];
        return value === undefined ? null : value;
      }
      const window = values
        .slice(Math.max(0, start - transform.window), start)
        .filter((value): value is number => typeof value === "number");
      return window.length === 0 ? null : window.reduce((sum, value) => sum + value, 0) / window.length;
    });
    indices.forEach((index, position) => {
      (rows[index] as Record<string, unknown>)[transform.name] = results[position];
    });
  }
}
