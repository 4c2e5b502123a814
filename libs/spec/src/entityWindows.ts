import type { DatasetSpec, TransformSpec } from "./schema.ts";
import { historyDepth, isWindowTransform, scalarTransformValue, timestampMillis, windowSpan } from "./transforms.ts";

/*
 * Every transform of a spec over the rows of one entity, point in time: a row sees only rows of its entity with a
 * STRICTLY earlier event time. Rows come in their total order (event time, then arrival: batch, row), and a row
 * with the same event time as the rows before it takes what the first row of that group of equal times sees, so
 * lag k is the k-th row before the group and a rolling mean of w averages the w rows before it, skipping missing
 * values, summed in row order then divided (what PostgreSQL's AVG over double precision does, bit for bit).
 * Time windows (a duration d, row at time t): a lag is the value of the latest row (by total order) with event time
 * at or before t − d; a rolling mean averages the rows with event time in [t − d, t).
 * The feature store's SQL (readQuery.ts) computes the same; a test holds the two together row for row.
 */

/** A row of one entity with its event time in epoch milliseconds. */
export interface TimedRow {
  time: number;
  values: Record<string, unknown>;
}

/**
 * Adds the outputs of `transforms`, in spec order, to each of `rows` (one entity's rows in total order; `times[i]`
 * is the event time of `rows[i]`). A transform may read an earlier one's output. `keepGiven(i)`: row i keeps a
 * value it already has for a transform (serving: a value the client sent wins).
 */
export function applyTransforms(
  transforms: readonly TransformSpec[],
  rows: Record<string, unknown>[],
  times: readonly number[],
  keepGiven: (position: number) => boolean = () => false,
): void {
  const groupStart = tieGroupStarts(times);
  for (const transform of transforms) {
    const keeps = rows.map((row, position) => keepGiven(position) && row[transform.name] !== undefined);
    if (!isWindowTransform(transform)) {
      rows.forEach((row, position) => {
        if (!keeps[position]) row[transform.name] = scalarTransformValue(transform, (column) => row[column]);
      });
      continue;
    }
    const values = rows.map((row) => row[transform.column]);
    const span = windowSpan(transform);
    const outputs = rows.map((_, position) => {
      const start = groupStart[position] as number;
      if ("millis" in span) {
        const reach = (times[position] as number) - span.millis;
        if (transform.kind === "lag") {
          // the latest row at or before t − d: the one before the first row after t − d
          const after = firstAtOrAfter(times, reach, start, true);
          return after === 0 ? null : (values[after - 1] ?? null);
        }
        return meanOf(values, firstAtOrAfter(times, reach, start, false), start);
      }
      if (transform.kind === "lag") return values[start - span.rows] ?? null;
      return meanOf(values, Math.max(0, start - span.rows), start);
    });
    rows.forEach((row, position) => {
      if (!keeps[position]) row[transform.name] = outputs[position];
    });
  }
}

/**
 * The first position below `end` whose time is at or after `time` (after it, when `strictly`); `end` when none.
 * The times are in order.
 */
function firstAtOrAfter(times: readonly number[], time: number, end: number, strictly: boolean): number {
  let low = 0;
  let high = end;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const at = times[middle] as number;
    if (at < time || (strictly && at === time)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The mean of the numbers among values[from, end), summed in order; null when there are none. */
function meanOf(values: readonly unknown[], from: number, end: number): number | null {
  let sum = 0;
  let count = 0;
  for (let at = from; at < end; at++) {
    const value = values[at];
    if (typeof value !== "number") continue;
    sum += value;
    count += 1;
  }
  return count === 0 ? null : sum / count;
}

/** For each position, the position of the first row with the same event time (the times are in order). */
function tieGroupStarts(times: readonly number[]): number[] {
  const starts: number[] = [];
  times.forEach((time, position) => {
    const same = position > 0 && times[position - 1] === time;
    starts.push(same ? (starts[position - 1] as number) : position);
  });
  return starts;
}

/** The event time of a row in epoch milliseconds; −∞ when it has none (it then comes first). */
export function eventMillis(spec: Pick<DatasetSpec, "eventTime">, row: Readonly<Record<string, unknown>>): number {
  return timestampMillis(row[spec.eventTime]) ?? Number.NEGATIVE_INFINITY;
}

/** The entity of a row as text ("" for a dataset without an entity key, or a row without one). */
export function entityOf(spec: Pick<DatasetSpec, "entityKey">, row: Readonly<Record<string, unknown>>): string {
  if (spec.entityKey === undefined) return "";
  const value = row[spec.entityKey];
  return value === null || value === undefined ? "" : String(value);
}

/**
 * Rows of any entities in arrival order, with every transform of the spec added (copies; the input order is kept).
 * Each row sees the rows of its entity given here with a strictly earlier event time (ties keep arrival order).
 */
export function withTransforms(
  spec: Pick<DatasetSpec, "eventTime" | "entityKey" | "transforms">,
  rows: readonly Readonly<Record<string, unknown>>[],
): Record<string, unknown>[] {
  const output = rows.map((row) => ({ ...row }));
  const entities = new Map<string, number[]>();
  output.forEach((row, index) => {
    const entity = entityOf(spec, row);
    const list = entities.get(entity);
    if (list) list.push(index);
    else entities.set(entity, [index]);
  });
  const times = output.map((row) => eventMillis(spec, row));
  for (const indices of entities.values()) {
    const ordered = [...indices].sort((a, b) => (times[a] as number) - (times[b] as number) || a - b);
    applyTransforms(
      spec.transforms,
      ordered.map((index) => output[index] as Record<string, unknown>),
      ordered.map((index) => times[index] as number),
    );
  }
  return output;
}

/**
 * The rows of `history` (one entity's stored rows in total order) that a row at `at` can reach: those of the last
 * `historyDepth` distinct event times strictly before `at`.
 */
export function reachableHistory(
  transforms: readonly TransformSpec[],
  history: readonly TimedRow[],
  at: number,
): TimedRow[] {
  const depth = historyDepth(transforms);
  let end = history.length;
  while (end > 0 && (history[end - 1] as TimedRow).time >= at) end -= 1;
  let start = end;
  let distinct = 0;
  while (start > 0 && depth > 0) {
    const time = (history[start - 1] as TimedRow).time;
    if (start === end || time !== (history[start] as TimedRow).time) {
      if (distinct === depth) break;
      distinct += 1;
    }
    start -= 1;
  }
  return history.slice(start, end);
}

/**
 * The model's inputs for one new row of an entity at event time `at` (the request's values: the spec's features;
 * transform outputs it already carries win), given the entity's stored history in total order. Only rows strictly
 * before `at` count, as in training. Missing values stay null here: the model's preprocessing imputes them.
 */
export function requestFeatures(
  spec: Pick<DatasetSpec, "transforms">,
  history: readonly TimedRow[],
  request: Readonly<Record<string, unknown>>,
  at: number,
): Record<string, unknown> {
  const reachable = reachableHistory(spec.transforms, history, at);
  const rows = [...reachable.map((row) => ({ ...row.values })), { ...request }];
  const times = [...reachable.map((row) => row.time), at];
  const last = rows.length - 1;
  applyTransforms(spec.transforms, rows, times, (position) => position === last);
  return rows[last] as Record<string, unknown>;
}
