import type { FeatureRow } from "@gyre/model";
import { type DatasetSpec, historyColumns, withTransforms as transformRows } from "@gyre/spec";

export { historyColumns };

/**
 * The model's inputs for the rows of one validated batch, which carry the spec's features but not its transforms:
 * every transform is computed by @gyre/spec, the implementation the feature store, serving and the CLI use.
 * Lags and rolling means see only the batch, so an entity's first rows in it lack the history the feature store
 * would give them: those columns are approximate here, and historyColumns names them so that drift tests on
 * batches leave them out.
 */
export function withTransforms(spec: DatasetSpec, rows: readonly FeatureRow[]): Record<string, unknown>[] {
  return transformRows(spec, rows);
}
