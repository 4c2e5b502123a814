import { writeFile } from "node:fs/promises";
import { type ArtifactStore, ObjectNotFoundError } from "@gyre/artifacts";
import type pg from "pg";
import { reportKeyOf } from "./monitoringQueries.ts";

/** No drift report for this dataset and check id. */
export class DriftReportNotFoundError extends Error {
  override name = "DriftReportNotFoundError";
  constructor(dataset: string, id: string, detail: string) {
    super(`dataset "${dataset}" has no drift report "${id}": ${detail}`);
  }
}

export interface StoredDriftReport {
  dataset: string;
  id: string;
  reportKey: string;
  html: string;
}

/** A check's HTML report from S3, where the check recorded it. */
export async function readDriftReport(
  pool: pg.Pool,
  store: ArtifactStore,
  dataset: string,
  id: string,
): Promise<StoredDriftReport> {
  const reportKey = await reportKeyOf(pool, dataset, id);
  if (reportKey === null) {
    throw new DriftReportNotFoundError(dataset, id, "no data-drift check with that id (ListDriftEvents lists them)");
  }
  try {
    const html = (await store.getBuffer(reportKey)).toString("utf8");
    return { dataset, id, reportKey, html };
  } catch (error) {
    if (error instanceof ObjectNotFoundError) {
      throw new DriftReportNotFoundError(dataset, id, `"${reportKey}" is not in bucket "${store.bucket}"`);
    }
    throw error;
  }
}

/** Writes a report's HTML to a file (a browser opens it as it is: no external scripts or styles). */
export async function writeDriftReportFile(report: { html: string }, path: string): Promise<void> {
  await writeFile(path, report.html, "utf8");
}
