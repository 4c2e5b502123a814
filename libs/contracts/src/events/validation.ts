import { z } from "zod";
import {
  countField,
  datasetField,
  featureNameField,
  idField,
  objectKeyField,
  reasonField,
  scalarField,
  sha256Field,
  shareField,
  specRevisionField,
  timeField,
} from "./fields.ts";

/** Quantile keys: the level as "p05", "p50", "p99.9", or as a decimal from 0 to 1 ("0.5"). */
const quantileKeyField = z.string().regex(/^(?:p(?:\d{1,2}(?:\.\d{1,4})?|100)|0(?:\.\d{1,6})?|1(?:\.0{1,6})?)$/, {
  error: (issue) =>
    `quantile ${JSON.stringify(issue.input)}: keys are levels like "p05" and "p50", or decimals like "0.5"`,
});

/** Summary of one column over a batch; fields that do not apply to the column's kind are null or absent. */
export const featureStatisticsSchema = z.strictObject({
  kind: z.enum(["numeric", "frequencies", "timestamp"]).optional(),
  count: countField.describe("Rows with a value (not null)."),
  nullCount: countField,
  nullShare: shareField,
  mean: z.number().nullable().optional(),
  std: z.number().nonnegative().nullable().optional(),
  min: z.union([z.number(), timeField]).nullable().optional().describe("A number, or an ISO time for timestamps."),
  max: z.union([z.number(), timeField]).nullable().optional().describe("A number, or an ISO time for timestamps."),
  quantiles: z.record(quantileKeyField, z.number()).nullable().optional(),
  categories: z.record(z.string().max(200), countField).optional().describe("Category → rows with it."),
});
export type FeatureStatistics = z.infer<typeof featureStatisticsSchema>;

export const anomalySchema = z.strictObject({
  feature: featureNameField.optional().describe("Absent for anomalies of the whole batch."),
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, {
    error: (issue) => `anomaly kind ${JSON.stringify(issue.input)}: snake_case, like "out_of_range"`,
  }),
  reason: reasonField,
  count: countField.describe("Rows affected."),
  example: scalarField.optional().describe("One offending value."),
});
export type Anomaly = z.infer<typeof anomalySchema>;

const validationReportShape = {
  batchId: idField("batchId"),
  dataset: datasetField,
  sha256: sha256Field,
  specRevision: specRevisionField,
  rowCount: countField,
  validRows: countField,
  invalidRows: countField,
  statistics: z.record(featureNameField, featureStatisticsSchema),
  anomalies: z.array(anomalySchema).max(1000),
  reportKey: objectKeyField("reportKey").optional().describe("Key of the full validation report in S3."),
  rowsKey: objectKeyField("rowsKey").optional().describe("Key of the valid rows, typed, as NDJSON in S3."),
};

function rowsAddUp(report: { rowCount: number; validRows: number; invalidRows: number }, ctx: z.RefinementCtx): void {
  const { rowCount, validRows, invalidRows } = report;
  if (validRows + invalidRows !== rowCount) {
    ctx.addIssue({
      code: "custom",
      path: ["rowCount"],
      message: `validRows ${validRows} + invalidRows ${invalidRows} is not rowCount ${rowCount}`,
    });
  }
}

/** The batch passed validation; its statistics feed monitoring's reference window. */
export const dataValidatedSchema = z.strictObject(validationReportShape).superRefine(rowsAddUp);
export type DataValidated = z.infer<typeof dataValidatedSchema>;

/** The batch failed validation and is quarantined; `reason` says why in one line. */
export const dataRejectedSchema = z
  .strictObject({ ...validationReportShape, reason: reasonField })
  .superRefine(rowsAddUp);
export type DataRejected = z.infer<typeof dataRejectedSchema>;
