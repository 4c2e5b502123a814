/** A dataset spec that does not validate; `problems` lists every one of them as "path: message". */
export class SpecInvalidError extends Error {
  override name = "SpecInvalidError";
  constructor(
    readonly problems: string[],
    subject = "dataset spec",
  ) {
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`${subject} is invalid (${count}): ${problems.join("; ")}`);
  }
}

/** The store has no current spec for the dataset (never applied, or removed). */
export class UnknownDatasetError extends Error {
  override name = "UnknownDatasetError";
  constructor(
    readonly dataset: string,
    readonly namespace: string,
  ) {
    super(`dataset "${dataset}" has no spec in namespace "${namespace}": apply one first (gyre spec apply)`);
  }
}

/** The revision does not exist, belongs to another dataset, or was trimmed from the kept history. */
export class UnknownSpecRevisionError extends Error {
  override name = "UnknownSpecRevisionError";
  constructor(
    readonly dataset: string,
    readonly revision: number,
  ) {
    super(`dataset "${dataset}" has no spec revision ${revision}: see its history for the revisions that are kept`);
  }
}

/** The CSV cannot yield a draft spec that validates (no header, no timestamp column, unusable label, ...). */
export class SpecInferenceError extends Error {
  override name = "SpecInferenceError";
}
