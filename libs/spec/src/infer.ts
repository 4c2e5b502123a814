import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseDatasetName } from "@gyre/contracts";
import { CsvError, parse } from "csv-parse";
import { ColumnProfile, type ColumnVerdict } from "./column-profile.ts";
import { labelKind } from "./columns.ts";
import { draftPolicies } from "./draft-policies.ts";
import { SpecInferenceError } from "./errors.ts";
import { validateDatasetSpec } from "./parse.ts";
import { describeValue } from "./problems.ts";
import { columnNameSchema, type DatasetSpec, type FeatureSpec, type LabelSpec } from "./schema.ts";

export type CsvSource = string | Readable | AsyncIterable<string | Uint8Array>;

export interface InferOptions {
  /** The dataset name of the draft. */
  name: string;
  /** The label column; the last column when unset. */
  label?: string;
  /** The event-time column; the first timestamp column when unset. */
  eventTime?: string;
  entityKey?: string;
  /** A text column with at most this many distinct values is categorical; with more, it is left out. */
  maxCategories?: number;
}

export interface InferredSpec {
  /** A draft that validates; review it (ranges, categories, policies) before applying it. */
  spec: DatasetSpec;
  /** What a reviewer should know: left-out columns, guesses made. */
  notes: string[];
  rows: number;
}

interface CsvScan {
  header: string[];
  profiles: ColumnProfile[];
  rows: number;
}

/**
 * Drafts a dataset spec from a CSV with a header row, in the manner of TFDV's schema inference: each column
 * becomes the narrowest type that fits every non-empty value (timestamp, boolean, integer, numeric, then
 * categorical up to `maxCategories` distinct values), nullable when it has empty cells, with the observed
 * range or categories. Policies come from `draftPolicies` for the label's kind; no transforms are guessed.
 */
export async function inferDatasetSpec(csv: CsvSource, options: InferOptions): Promise<InferredSpec> {
  const name = parseDatasetName(options.name);
  const maxCategories = options.maxCategories ?? 50;
  if (!Number.isInteger(maxCategories) || maxCategories < 2 || maxCategories > 10_000) {
    throw new SpecInferenceError(`maxCategories ${describeValue(maxCategories)}: use an integer from 2 to 10000`);
  }
  const scan = await scanCsv(csv, maxCategories);
  const notes: string[] = [];
  const verdicts = new Map<string, ColumnVerdict>();
  for (const profile of scan.profiles) {
    const verdict = columnNameSchema.safeParse(profile.name).success
      ? profile.conclude()
      : ({
          supported: false,
          reason: "is not a usable column name (letters, digits and _, not starting with a digit)",
        } as const);
    if (!verdict.supported) notes.push(`column ${describeValue(profile.name)} left out: it ${verdict.reason}`);
    verdicts.set(profile.name, verdict);
  }

  const labelName = options.label ?? (scan.header.at(-1) as string);
  const label = inferLabel(labelName, scan, verdicts, notes);
  const features: FeatureSpec[] = [];
  for (const column of scan.header) {
    const verdict = verdicts.get(column);
    if (column === labelName || !verdict?.supported) continue;
    features.push(toFeature(column, verdict));
  }
  const eventTime = chooseEventTime(options.eventTime, features, scan.header);
  if (options.entityKey !== undefined && !features.some((feature) => feature.name === options.entityKey)) {
    throw new SpecInferenceError(
      `entityKey ${describeValue(options.entityKey)} is not a usable feature column; columns: ${scan.header.join(", ")}`,
    );
  }
  if (features.some((feature) => feature.min !== undefined)) {
    notes.push("min/max are the observed range: widen them, or new data outside it will be counted invalid");
  }

  const spec = validateDatasetSpec({
    name,
    description: `Draft inferred from ${scan.rows} rows; review types, ranges, categories and policies before applying.`,
    eventTime,
    ...(options.entityKey === undefined ? {} : { entityKey: options.entityKey }),
    features,
    label,
    transforms: [],
    ...draftPolicies(labelKind({ label })),
  });
  return { spec, notes, rows: scan.rows };
}

async function scanCsv(csv: CsvSource, maxCategories: number): Promise<CsvScan> {
  const parser = parse({ bom: true, skip_empty_lines: true });
  const source = typeof csv === "string" ? Readable.from([csv]) : Readable.from(csv);
  const feeding = pipeline(source, parser);
  // A failure reaches the loop below through the parser; this only stops an early exit (a bad header)
  // from leaving the pipeline's rejection unhandled. The normal path still awaits `feeding`.
  feeding.catch(() => {});
  let header: string[] | undefined;
  let profiles: ColumnProfile[] = [];
  let rows = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = checkHeader(record);
        profiles = header.map((column) => new ColumnProfile(column, maxCategories));
        continue;
      }
      rows++;
      for (const [index, value] of record.entries()) profiles[index]?.add(value);
    }
    await feeding;
  } catch (error) {
    if (error instanceof CsvError) throw new SpecInferenceError(`CSV: ${error.message}`, { cause: error });
    throw error;
  }
  if (header === undefined) throw new SpecInferenceError("CSV is empty: expected a header row, then data rows");
  if (rows === 0) throw new SpecInferenceError(`CSV has a header (${header.join(", ")}) but no data rows`);
  return { header, profiles, rows };
}

const LOOKS_LIKE_DATA = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^\d{4}-\d{2}-\d{2}/;

function checkHeader(record: string[]): string[] {
  const header = record.map((cell) => cell.trim());
  for (const [index, cell] of header.entries()) {
    if (cell === "" || LOOKS_LIKE_DATA.test(cell)) {
      throw new SpecInferenceError(
        `the first row must be a header naming each column; cell ${index + 1} is ${describeValue(cell)}`,
      );
    }
  }
  const repeated = header.find((cell, index) => header.indexOf(cell) !== index);
  if (repeated !== undefined) throw new SpecInferenceError(`header names column ${describeValue(repeated)} twice`);
  return header;
}

function inferLabel(name: string, scan: CsvScan, verdicts: Map<string, ColumnVerdict>, notes: string[]): LabelSpec {
  const verdict = verdicts.get(name);
  const profile = scan.profiles.find((candidate) => candidate.name === name);
  if (verdict === undefined || profile === undefined) {
    throw new SpecInferenceError(`label ${describeValue(name)} is not a column; columns: ${scan.header.join(", ")}`);
  }
  if (!verdict.supported || verdict.type === "timestamp") {
    const why = verdict.supported ? "holds timestamps" : verdict.reason;
    throw new SpecInferenceError(`label ${describeValue(name)} cannot be a label: it ${why}; pass another label`);
  }
  if (profile.empties > 0) notes.push(`label "${name}" is empty in ${profile.empties} rows; such rows cannot train`);
  if (verdict.type === "integer" || verdict.type === "numeric") {
    if (verdict.type === "integer" && profile.distinctValues() !== null) {
      notes.push(`label "${name}" has few distinct integers: if they are class codes, make it categorical`);
    }
    return { name, type: "numeric" };
  }
  const classes = profile.distinctValues() ?? [];
  if (classes.length < 2) {
    throw new SpecInferenceError(`label ${describeValue(name)} has ${classes.length} class(es) (${classes}); need 2`);
  }
  return { name, type: "categorical", classes };
}

function toFeature(name: string, verdict: ColumnVerdict & { supported: true }): FeatureSpec {
  const feature: FeatureSpec = { name, type: verdict.type, nullable: verdict.nullable };
  if (verdict.min !== undefined) feature.min = verdict.min;
  if (verdict.max !== undefined) feature.max = verdict.max;
  if (verdict.categories !== undefined) feature.categories = verdict.categories;
  return feature;
}

function chooseEventTime(requested: string | undefined, features: FeatureSpec[], header: string[]): string {
  const timestamps = features.filter((feature) => feature.type === "timestamp").map((feature) => feature.name);
  if (requested === undefined) {
    const first = timestamps[0];
    if (first !== undefined) return first;
    throw new SpecInferenceError(
      `a spec needs an event-time column of ISO dates or date-times, and none of ${header.join(", ")} holds them`,
    );
  }
  if (!timestamps.includes(requested)) {
    const known = timestamps.length > 0 ? timestamps.join(", ") : "none";
    throw new SpecInferenceError(
      `eventTime ${describeValue(requested)} is not a timestamp feature column; timestamp columns: ${known}`,
    );
  }
  return requested;
}
