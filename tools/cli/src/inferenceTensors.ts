import type { InferInputTensor, ModelInferResponse__Output } from "@gyre/grpc";
import { CliError } from "./failures.ts";

/** One model input as ModelMetadata gives it. */
export interface ModelInput {
  name: string;
  datatype: string;
  /** "required"; "optional" (the event time) and "computed" (a transform output) may be left out. */
  role?: string;
}

/**
 * What a request carries: the raw form (the spec's features; serving computes the transforms) that ModelMetadata's
 * `raw_inputs` parameter lists, or, from a server without it, the model's inputs.
 */
export function requestInputs(metadata: {
  inputs: readonly ModelInput[];
  parameters?: Record<string, { string_param?: string }> | null;
}): ModelInput[] {
  const raw = metadata.parameters?.raw_inputs?.string_param;
  if (raw === undefined || raw === "") return [...metadata.inputs];
  return JSON.parse(raw) as ModelInput[];
}

/** One row of feature values as the operator typed them (text). */
export type FeatureRow = Record<string, string>;

export type Prediction =
  | { label: string; probability: number; probabilities: Record<string, number> }
  | { value: number };

/** `k=v` pairs of `--row` as one row; a value may itself contain "=". */
export function parseRowPairs(pairs: readonly string[]): FeatureRow {
  const row: FeatureRow = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at <= 0) throw new CliError(`--row ${JSON.stringify(pair)}: expected feature=value`);
    const name = pair.slice(0, at);
    if (name in row) throw new CliError(`--row: feature "${name}" is given twice`);
    row[name] = pair.slice(at + 1);
  }
  return row;
}

function number(input: ModelInput, raw: string, row: number): number {
  const value = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(value)) {
    throw new CliError(`row ${row + 1}, feature "${input.name}": ${JSON.stringify(raw)} is not a number`);
  }
  return value;
}

function boolean(input: ModelInput, raw: string, row: number): boolean {
  const word = raw.trim().toLowerCase();
  if (["true", "1", "yes"].includes(word)) return true;
  if (["false", "0", "no"].includes(word)) return false;
  throw new CliError(`row ${row + 1}, feature "${input.name}": ${JSON.stringify(raw)} is not true or false`);
}

/**
 * One tensor per model input, named by the feature, shape [rows], in the datatype ModelMetadata advertises: BYTES for
 * categories, BOOL, INT64, and FP32 for other numbers. Inputs the rows do not have, and row columns the model does
 * not take, are named in the error (`ignoreExtra` drops extra columns, as a CSV file may carry label or event time).
 */
export function inferInputs(
  inputs: readonly ModelInput[],
  rows: readonly FeatureRow[],
  ignoreExtra: boolean,
): InferInputTensor[] {
  const names = inputs.map((input) => input.name);
  const takes = `the model takes ${inputs.map((input) => (input.role && input.role !== "required" ? `[${input.name}]` : input.name)).join(", ")}`;
  const columns = new Set(rows.flatMap((row) => Object.keys(row)));
  const mayLeaveOut = (input: ModelInput) => input.role === "optional" || input.role === "computed";
  const missing = inputs.filter((input) => !columns.has(input.name) && !mayLeaveOut(input)).map((input) => input.name);
  if (missing.length > 0)
    throw new CliError(`missing feature${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: ${takes}`);
  const extra = [...columns].filter((column) => !names.includes(column));
  if (extra.length > 0 && !ignoreExtra)
    throw new CliError(`unknown feature${extra.length > 1 ? "s" : ""} ${extra.join(", ")}: ${takes}`);

  return inputs
    .filter((input) => columns.has(input.name))
    .map((input): InferInputTensor => {
      const texts = rows.map((row, index) => {
        const value = row[input.name];
        if (value === undefined) throw new CliError(`row ${index + 1}: feature "${input.name}" is missing; ${takes}`);
        return value;
      });
      const base = { name: input.name, datatype: input.datatype, shape: [rows.length] };
      switch (input.datatype) {
        case "BYTES":
          return { ...base, contents: { bytes_contents: texts.map((text) => Buffer.from(text, "utf8")) } };
        case "BOOL":
          return { ...base, contents: { bool_contents: texts.map((text, row) => boolean(input, text, row)) } };
        case "INT64":
        case "INT32":
          return {
            ...base,
            datatype: "INT64",
            contents: {
              int64_contents: texts.map((text, row) => {
                const value = number(input, text, row);
                if (!Number.isInteger(value)) {
                  throw new CliError(`row ${row + 1}, feature "${input.name}": ${text} is not a whole number`);
                }
                return String(value);
              }),
            },
          };
        default:
          return {
            ...base,
            datatype: "FP32",
            contents: { fp32_contents: texts.map((text, row) => number(input, text, row)) },
          };
      }
    });
}

/** The predictions of a ModelInfer answer: a classifier's label and probabilities, or a regressor's value. */
export function predictionsOf(response: ModelInferResponse__Output, rows: number): Prediction[] {
  const byName = new Map(response.outputs.map((output) => [output.name, output]));
  const probabilities = byName.get("probabilities");
  const labels = byName.get("label");
  const value = byName.get("value");
  if (probabilities) {
    const classes = JSON.parse(probabilities.parameters?.classes?.string_param ?? "[]") as string[];
    const values = probabilities.contents?.fp32_contents ?? [];
    const labelTexts = labels?.contents?.bytes_contents.map((bytes) => Buffer.from(bytes).toString("utf8")) ?? [];
    return Array.from({ length: rows }, (_, row) => {
      const byClass = Object.fromEntries(
        classes.map((name, column) => [name, values[row * classes.length + column] ?? 0]),
      );
      const best = classes.reduce((a, b) => ((byClass[b] ?? 0) > (byClass[a] ?? 0) ? b : a), classes[0] ?? "");
      const label = labelTexts[row] ?? best;
      return { label, probability: byClass[label] ?? 0, probabilities: byClass };
    });
  }
  if (value) {
    const values = value.contents?.fp32_contents ?? [];
    return Array.from({ length: rows }, (_, row) => ({ value: values[row] ?? Number.NaN }));
  }
  throw new CliError(
    `the answer has outputs ${response.outputs.map((output) => output.name).join(", ") || "(none)"}: expected probabilities and label, or value`,
  );
}
