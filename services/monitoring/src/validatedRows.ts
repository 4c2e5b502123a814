import { type ArtifactStore, ObjectNotFoundError } from "@gyre/artifacts";
import { PermanentError } from "@gyre/bus";
import type { DataValidated } from "@gyre/contracts";

/**
 * Where validation put the batch's valid rows: the event's rowsKey, or for events from before rowsKey existed,
 * validation's own naming.
 */
export function rowsKeyOf(batch: Pick<DataValidated, "dataset" | "batchId" | "rowsKey">): string {
  return batch.rowsKey ?? `validated/${batch.dataset}/${batch.batchId.replaceAll(":", "~")}.ndjson`;
}

/**
 * The typed valid rows of a validated batch (NDJSON, one JSON object per line). A missing object or a line that is
 * not a JSON object is a PermanentError naming the key and the line: retrying cannot fix either.
 */
export async function readValidatedRows(
  store: ArtifactStore,
  batch: Pick<DataValidated, "dataset" | "batchId" | "rowsKey">,
): Promise<Record<string, unknown>[]> {
  const key = rowsKeyOf(batch);
  let body: Buffer;
  try {
    body = await store.getBuffer(key);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      throw new PermanentError(`batch ${batch.batchId}: validated rows "${key}" are not in bucket "${store.bucket}"`);
    }
    throw error;
  }
  const rows: Record<string, unknown>[] = [];
  body
    .toString("utf8")
    .split("\n")
    .forEach((line, index) => {
      if (line.trim() === "") return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        throw new PermanentError(`validated rows "${key}" line ${index + 1} is not JSON: ${(error as Error).message}`);
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PermanentError(`validated rows "${key}" line ${index + 1} is not a JSON object`);
      }
      rows.push(value as Record<string, unknown>);
    });
  return rows;
}
