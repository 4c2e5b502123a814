import { isWindowTransform, type TransformSpec, windowSpan } from "@gyre/spec";
import { quoteIdent as q, SYSTEM_COLUMNS, storedColumns, type TableLayout, transformInputs } from "./layout.ts";

/*
 * Lag and rolling means are computed when rows are read, with window functions over each entity's rows in
 * (event time, batch, row) order, so a late batch lands in its place in time and never changes what the past
 * saw. Point in time: a row sees only rows of its entity with a STRICTLY earlier event time. A window over the
 * total order would let a row see an earlier-numbered row with the same event time, so each window value is
 * computed raw first, then every row takes the value of the first row of its (entity, event time) group, whose
 * preceding rows are exactly the strictly earlier ones.
 *
 * A transform may read an earlier one (a lag of a ratio, a ratio of two lags); those are layered: each layer
 * selects from the previous one and adds the transforms whose inputs it has.
 */

const { batchId, batchSeq, rowIndex, eventTime, entityKey } = SYSTEM_COLUMNS;
export const SYSTEM_COLUMN_NAMES: readonly string[] = [batchId, batchSeq, rowIndex, eventTime, entityKey];

const ORDER = `${q(eventTime)}, ${q(batchSeq)}, ${q(rowIndex)}`;
const ENTITY_WINDOW = `PARTITION BY ${q(entityKey)} ORDER BY ${ORDER}`;
const TIE_GROUP = `PARTITION BY ${q(entityKey)}, ${q(eventTime)} ORDER BY ${q(batchSeq)}, ${q(rowIndex)}`;

/** The total order of rows in exports and windows. */
export const ROW_ORDER = ORDER;
export const ROW_ORDER_DESC = `${q(eventTime)} DESC, ${q(batchSeq)} DESC, ${q(rowIndex)} DESC`;

const EXTRACT_FIELD = { month: "MONTH", dayOfYear: "DOY", dayOfWeek: "DOW", hour: "HOUR", year: "YEAR" } as const;

function whole(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${what} ${value}: expected a whole number >= 1`);
  return value;
}

/**
 * Time windows order by event time alone (RANGE with an interval needs one sort key); the rows come in the total
 * order (the layer's input is sorted, see featureRowsSql), so ties keep it in the frame. A frame in RANGE mode
 * holds the same frame for every row of a tie group.
 */
const TIME_WINDOW = `PARTITION BY ${q(entityKey)} ORDER BY ${q(eventTime)}`;

function interval(millis: number): string {
  return `INTERVAL '${whole(millis, "duration in milliseconds")} milliseconds'`;
}

function windowExpression(transform: TransformSpec): string {
  if (transform.kind !== "lag" && transform.kind !== "rollingMean") {
    throw new Error(`transform "${transform.name}" (${transform.kind}) is not a window`);
  }
  const span = windowSpan(transform);
  const column = q(transform.column);
  if ("millis" in span) {
    // lag: the last row at or before t − d; mean: the rows in [t − d, t) (the current tie group excluded)
    return transform.kind === "lag"
      ? `last_value(${column}) OVER (${TIME_WINDOW} RANGE BETWEEN UNBOUNDED PRECEDING AND ${interval(span.millis)} PRECEDING)`
      : `AVG(${column}::double precision) OVER (${TIME_WINDOW} RANGE BETWEEN ${interval(span.millis)} PRECEDING AND CURRENT ROW EXCLUDE GROUP)`;
  }
  return transform.kind === "lag"
    ? `LAG(${column}, ${whole(span.rows, "lag")}) OVER (${ENTITY_WINDOW})`
    : `AVG(${column}::double precision) OVER (${ENTITY_WINDOW} ROWS BETWEEN ${whole(span.rows, "window")} PRECEDING AND 1 PRECEDING)`;
}

/** The SQL form of a datePart or ratio, for those that read a read-time column (same results as transforms.ts). */
export function scalarExpression(transform: TransformSpec): string {
  switch (transform.kind) {
    case "datePart":
      return `EXTRACT(${EXTRACT_FIELD[transform.part]} FROM ${q(transform.from)} AT TIME ZONE 'UTC')::bigint`;
    case "ratio": {
      const denominator = q(transform.denominator);
      return `CASE WHEN ${denominator} IS NULL OR ${denominator} = 0 THEN NULL ELSE ${q(transform.numerator)}::double precision / ${denominator}::double precision END`;
    }
    default:
      throw new Error(`transform "${transform.name}" (${transform.kind}) is a window`);
  }
}

/** Read-time transforms grouped by layer: a transform is one layer above the deepest of its inputs. */
function layers(layout: TableLayout): TransformSpec[][] {
  const depth = new Map<string, number>();
  const grouped: TransformSpec[][] = [];
  for (const transform of layout.readTransforms) {
    const level = Math.max(0, ...transformInputs(transform).map((input) => depth.get(input) ?? 0)) + 1;
    depth.set(transform.name, level);
    const layer = grouped[level - 1] ?? [];
    layer.push(transform);
    grouped[level - 1] = layer;
  }
  return grouped;
}

/**
 * A SELECT of every offline row matching `baseFilter` (a SQL condition on the offline table) with the system
 * columns and every spec column, read-time transforms included. Filter on time or labels OUTSIDE this query:
 * the windows must see every earlier row of an entity. `source` is the offline table, or a bounded part of it
 * that holds every row the windows can reach (trainingRows.ts).
 */
export function featureRowsSql(layout: TableLayout, baseFilter: string, source = q(layout.offlineTable)): string {
  const names = [...SYSTEM_COLUMN_NAMES, ...storedColumns(layout).map((column) => column.name)];
  let relation = `SELECT ${names.map(q).join(", ")} FROM ${source} WHERE ${baseFilter}`;
  for (const [index, layer] of layers(layout).entries()) {
    const carried = names.map(q).join(", ");
    const windows = layer.filter(isWindowTransform);
    const scalars = layer.filter((transform) => !isWindowTransform(transform));
    const scalarSelects = scalars.map((transform) => `${scalarExpression(transform)} AS ${q(transform.name)}`);
    const rawSelects = windows.map((transform, at) => `${windowExpression(transform)} AS ${q(`__raw${at}`)}`);
    // time windows sort by event time alone: their input comes in the total order so ties keep it
    const sorted = windows.some((transform) => "millis" in windowSpan(transform))
      ? `${relation} ORDER BY ${q(entityKey)}, ${ORDER}`
      : relation;
    relation = `SELECT ${[carried, ...scalarSelects, ...rawSelects].join(", ")} FROM (${sorted}) AS ${q(`layer${index}`)}`;
    names.push(...scalars.map((transform) => transform.name));
    if (windows.length > 0) {
      const tieSelects = windows.map(
        (transform, at) => `first_value(${q(`__raw${at}`)}) OVER (${TIE_GROUP}) AS ${q(transform.name)}`,
      );
      relation = `SELECT ${[names.map(q).join(", "), ...tieSelects].join(", ")} FROM (${relation}) AS ${q(`raw${index}`)}`;
      names.push(...windows.map((transform) => transform.name));
    }
  }
  const output = [...SYSTEM_COLUMN_NAMES, ...layout.columns.map((column) => column.name)];
  return `SELECT ${output.map(q).join(", ")} FROM (${relation}) AS features`;
}
