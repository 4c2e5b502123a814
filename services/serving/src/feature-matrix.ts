import type { Preprocessing } from "@gyre/model";
import type { RequestFeatures } from "./request-inputs.ts";

/**
 * The model's float32 [N, F] input from a request's columns, through the bundle's fitted preprocessing. The same
 * arithmetic as @gyre/model's transformRows ((value − mean) / std in double precision, stored as float32; one-hot
 * in category order; a missing value, NaN or "", imputed as training did: the mean, or no category), column by
 * column instead of row objects: the bytes are identical for the same values.
 */
export function featureMatrix(preprocessing: Preprocessing, features: RequestFeatures): Float32Array {
  const width = preprocessing.features.length;
  const rows = features.rows;
  const output = new Float32Array(rows * width);
  let offset = 0;
  preprocessing.columns.forEach((column, index) => {
    const values = features.columns[index];
    if (values === undefined) throw new Error(`no values for preprocessed column "${column.name}"`);
    if (column.type === "categorical") {
      if (values.kind !== "categorical") throw new Error(`column "${column.name}" is categorical, got numbers`);
      const positions = new Map(column.categories.map((category, position) => [category, position]));
      for (let row = 0; row < rows; row++) {
        const position = positions.get(values.values[row] as string);
        if (position !== undefined) output[row * width + offset + position] = 1;
      }
      offset += column.categories.length;
      return;
    }
    if (values.kind !== "numeric") throw new Error(`column "${column.name}" is ${column.type}, got categories`);
    const { mean, std } = column;
    for (let row = 0; row < rows; row++) {
      const value = values.values[row] as number;
      // missing (NaN) → the training mean, which scales to 0, as transformRows does for a null
      output[row * width + offset] = Number.isNaN(value) ? 0 : (value - mean) / std;
    }
    offset += 1;
  });
  return output;
}
