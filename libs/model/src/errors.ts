/** Why a spec and a training set cannot make a model; the wiring turns these into a failed run, never a retry. */
export type TrainingInputProblem =
  | "no-training-rows"
  | "no-holdout-rows"
  | "label-missing"
  | "feature-missing"
  | "single-class"
  | "unknown-class"
  | "bad-label-value"
  | "bad-feature-value"
  | "model-label-mismatch"
  | "model-layers";

export class TrainingInputError extends Error {
  override name = "TrainingInputError";
  constructor(
    readonly problem: TrainingInputProblem,
    /** The offending value: a column name, a class, a row count, a label value. */
    readonly value: unknown,
    message: string,
  ) {
    super(message);
  }
}

/** A row holds a value that its column's type cannot take (a string in a numeric column, Infinity, ...). */
export class InvalidFeatureValueError extends Error {
  override name = "InvalidFeatureValueError";
  constructor(
    readonly column: string,
    readonly row: number,
    readonly value: unknown,
    expected: string,
  ) {
    super(`row ${row}, column "${column}": ${describeValue(value)} is not ${expected}`);
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  const json = JSON.stringify(value);
  return json === undefined ? typeof value : json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** The loss stopped being a finite number: the run learned nothing usable. */
export class TrainingDivergedError extends Error {
  override name = "TrainingDivergedError";
  constructor(
    readonly epoch: number,
    readonly learningRate: number,
  ) {
    super(`the training loss became NaN or infinite at epoch ${epoch}: lower the learning rate (now ${learningRate})`);
  }
}

/** An object of a model bundle is not in the store. */
export class ArtifactMissingError extends Error {
  override name = "ArtifactMissingError";
  constructor(
    readonly bucket: string,
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`model artifact "${key}" is missing from bucket "${bucket}"`, options);
  }
}

/** An object of a model bundle is there but unreadable: not JSON, the wrong shape, weights of the wrong size. */
export class ArtifactCorruptError extends Error {
  override name = "ArtifactCorruptError";
  constructor(
    readonly key: string,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(`model artifact "${key}" is corrupt: ${reason}`, options);
  }
}
