import { PermanentError } from "@gyre/bus";
import { type DatasetSpec, modelInputColumns, type SpecStore, UnknownDatasetError } from "@gyre/spec";
import { historyColumns } from "./batchInputs.ts";
import type { WindowSource } from "./driftEvents.ts";

/**
 * The columns a source's windows test: every model input for serving's logged inputs; for validated batches the
 * inputs that one batch determines (features, date parts, ratios), since lags and rolling means computed inside a
 * batch lack the history before it.
 */
export function testedColumns(spec: DatasetSpec, source: WindowSource): string[] {
  const inputs = modelInputColumns(spec).map((column) => column.name);
  if (source === "predictions") return inputs;
  const history = historyColumns(spec);
  return inputs.filter((name) => !history.has(name));
}

/** Rows cut down to the tested columns, so a window keeps only what its checks read. */
export function projectRows(rows: readonly Readonly<Record<string, unknown>>[], columns: readonly string[]) {
  return rows.map((row) => {
    const kept: Record<string, unknown> = {};
    for (const column of columns) {
      const value = row[column];
      if (value !== undefined) kept[column] = value;
    }
    return kept;
  });
}

/** The dataset's current spec; an unknown dataset is a PermanentError (no retry makes a spec appear). */
export async function currentSpec(specs: SpecStore, dataset: string): Promise<DatasetSpec> {
  try {
    return (await specs.current(dataset)).spec;
  } catch (error) {
    if (error instanceof UnknownDatasetError) throw new PermanentError(error.message);
    throw error;
  }
}
