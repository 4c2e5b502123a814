import { PermanentError } from "@gyre/bus";

/** Why a batch was turned away, as a short fixed word: the `reason` label of the rejected-batches metric. */
export const REJECTION_KINDS = [
  "unknown_dataset",
  "missing_object",
  "too_large",
  "too_many_rows",
  "not_utf8",
  "malformed_csv",
  "duplicate_header",
  "malformed_ndjson",
  "malformed_json",
  "corrupt_gzip",
  "unreadable_parquet",
  "empty",
] as const;
export type RejectionKind = (typeof REJECTION_KINDS)[number];

/**
 * A batch that no retry can fix: the message goes to the DLQ with `message` as the reason, and the arrival is
 * recorded in `rejected_arrivals`.
 */
export class BatchRejectedError extends PermanentError {
  override name = "BatchRejectedError";
  constructor(
    readonly kind: RejectionKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
