import { z } from "zod";
import {
  countField,
  datasetField,
  featureNameField,
  idField,
  metricNameField,
  modelVersionField,
  objectKeyField,
  scalarField,
  shareField,
  timeField,
} from "./fields.ts";

export const SERVING_ROLES = ["champion", "challenger", "shadow", "canary"] as const;
export type ServingRole = (typeof SERVING_ROLES)[number];

export const predictionRecordSchema = z.strictObject({
  requestId: idField("requestId"),
  inputs: z.record(featureNameField, scalarField),
  outputs: z.record(featureNameField, z.union([scalarField, z.array(z.number()).max(10_000)])),
  label: z
    .union([z.string().max(1000), z.number()])
    .optional()
    .describe("The true value, when it is known."),
  at: timeField,
});
export type PredictionRecord = z.infer<typeof predictionRecordSchema>;

/** A sample of what one model version was asked and answered. */
export const predictionsLoggedSchema = z.strictObject({
  dataset: datasetField,
  modelVersion: modelVersionField,
  role: z.enum(SERVING_ROLES),
  records: z.array(predictionRecordSchema).min(1).max(10_000),
});
export type PredictionsLogged = z.infer<typeof predictionsLoggedSchema>;

/** The true value for one served prediction, keyed by the request id serving logged it under. */
export const servedLabelSchema = z.strictObject({
  requestId: idField("requestId").describe(
    "The id of the ModelInfer request (one row), or `<id>.<row>` for row `row` (from 0) of a request of several rows.",
  ),
  label: z.union([z.string().min(1).max(1000), z.number()]).describe("The true class, or the true value."),
});
export type ServedLabel = z.infer<typeof servedLabelSchema>;

/** Producers: labels that became known for predictions served earlier (label feedback). */
export const labelsArrivedSchema = z.strictObject({
  dataset: datasetField,
  labels: z.array(servedLabelSchema).min(1).max(10_000),
});
export type LabelsArrived = z.infer<typeof labelsArrivedSchema>;

/** The champion's score on a newly arrived labelled batch, before any training on it. */
export const performanceMeasuredSchema = z.strictObject({
  dataset: datasetField,
  batchId: idField("batchId"),
  modelVersion: modelVersionField,
  metric: metricNameField,
  value: z.number(),
  championHoldoutValue: z.number().describe("The same metric on the champion's own holdout, at training time."),
  rows: countField,
});
export type PerformanceMeasured = z.infer<typeof performanceMeasuredSchema>;

export const DRIFT_KINDS = ["data", "performance"] as const;
export const DRIFT_TESTS = ["ks", "chi2", "performance"] as const;
export const DRIFT_CORRECTIONS = ["bonferroni", "fdr", "none"] as const;
export const DRIFT_RULES = ["both", "p-value", "effect-size"] as const;

export const featureDriftSchema = z.strictObject({
  name: z.union([featureNameField, metricNameField]).describe("Feature name; the metric name for performance drift."),
  test: z.enum(DRIFT_TESTS),
  statistic: z.number(),
  pValue: z.number().min(0).max(1).nullable().describe("Null for tests without one (performance)."),
  threshold: z.number(),
  psi: z.number().nonnegative().optional(),
  jsd: z.number().min(0).max(1).optional(),
  effectSize: z
    .strictObject({
      measure: z.enum(["wasserstein", "psi"]),
      value: z.number().nonnegative(),
      threshold: z.number().positive(),
    })
    .optional()
    .describe("Normalised Wasserstein distance (numeric) or PSI (categorical), and the threshold it was held to."),
  rule: z.enum(DRIFT_RULES).optional().describe("What had to fire for the feature to count as drifted."),
  firedBy: z
    .array(z.enum(["p-value", "wasserstein", "psi"]))
    .max(3)
    .optional()
    .describe("The signals that crossed their thresholds."),
});
export type FeatureDrift = z.infer<typeof featureDriftSchema>;

/** What a data window was compared with: the champion's training rows, or the same months of earlier years. */
export const driftReferenceSchema = z.strictObject({
  kind: z.enum(["training", "same-season"]),
  rows: countField,
  months: z.array(z.number().int().min(1).max(12)).max(12).optional().describe("same-season: the calendar months."),
  before: z.number().int().optional().describe("same-season: rows of years before this one."),
});
export type DriftReference = z.infer<typeof driftReferenceSchema>;

/** Monitoring found drift worth a retrain. */
export const driftDetectedSchema = z
  .strictObject({
    dataset: datasetField,
    kind: z.enum(DRIFT_KINDS),
    features: z.array(featureDriftSchema).min(1).max(1000).describe("What drifted."),
    correction: z.enum(DRIFT_CORRECTIONS).describe("Multiple-testing correction applied to the p-values."),
    share: shareField.describe("Share of features that drifted."),
    threshold: shareField.describe("Share of drifted features that counts as drift."),
    reportKey: objectKeyField("reportKey").nullable(),
    reference: driftReferenceSchema.optional().describe("Data drift: what the window was compared with."),
    window: z.strictObject({
      source: z.enum(["predictions", "batches"]),
      rows: countField,
      batchIds: z
        .array(idField("window.batchIds[]"))
        .max(10_000)
        .optional()
        .describe(
          "The batches whose rows the drifted window held (source batches): the trainer skips a drift whose batches the latest run already trained on.",
        ),
    }),
    modelVersion: modelVersionField.nullable(),
  })
  .superRefine((event, ctx) => {
    const expected = event.kind === "performance" ? ["performance"] : ["ks", "chi2"];
    event.features.forEach((feature, index) => {
      if (!expected.includes(feature.test)) {
        ctx.addIssue({
          code: "custom",
          path: ["features", index, "test"],
          message: `test "${feature.test}" on ${JSON.stringify(feature.name)}: ${event.kind} drift uses ${expected.join(" or ")}`,
        });
      }
    });
  });
export type DriftDetected = z.infer<typeof driftDetectedSchema>;
