import { z } from "zod";
import {
  datasetField,
  idField,
  metricsField,
  modelVersionField,
  objectKeyField,
  reasonField,
  sha256Field,
  specRevisionField,
} from "./fields.ts";

export const TRAINING_TRIGGERS = ["features", "drift", "manual", "schedule", "reproduce", "external"] as const;
export type TrainingTrigger = (typeof TRAINING_TRIGGERS)[number];

/** The data a run trained on: enough to train it again on the same bytes. */
export const trainingSnapshotSchema = z.strictObject({
  id: idField("snapshot.id"),
  batches: z
    .array(z.strictObject({ batchId: idField("batchId"), sha256: sha256Field }))
    .min(1)
    .max(100_000),
});
export type TrainingSnapshot = z.infer<typeof trainingSnapshotSchema>;

/** A training run finished; the registry decides whether the candidate beats the champion. */
export const modelTrainedSchema = z
  .strictObject({
    runId: idField("runId"),
    dataset: datasetField,
    candidateVersion: modelVersionField.nullable().optional().describe("Null until the registry assigns one."),
    metrics: metricsField.describe("Candidate metrics on the holdout."),
    championMetrics: metricsField.nullable().describe("Champion metrics on the same holdout; null without one."),
    championVersion: modelVersionField.nullable(),
    artifactKey: objectKeyField("artifactKey").describe("Key prefix of the model files in S3."),
    snapshot: trainingSnapshotSchema,
    specRevision: specRevisionField,
    backend: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, {
      error: (issue) =>
        `backend ${JSON.stringify(issue.input)}: a TensorFlow.js backend name, like "tensorflow" or "wasm"`,
    }),
    codeVersion: z.string().min(1).max(100).optional().describe("Version of the trainer that ran."),
    trigger: z.strictObject({
      reason: z.enum(TRAINING_TRIGGERS),
      eventIds: z.array(idField("trigger.eventIds")).max(1000).describe("Ids of the events that caused the run."),
    }),
  })
  .superRefine((event, ctx) => {
    if ((event.championMetrics === null) !== (event.championVersion === null)) {
      ctx.addIssue({
        code: "custom",
        path: ["championMetrics"],
        message: `championMetrics and championVersion ${JSON.stringify(event.championVersion)}: both set or both null`,
      });
    }
  });
export type ModelTrained = z.infer<typeof modelTrainedSchema>;

const registryDecisionShape = {
  dataset: datasetField,
  version: modelVersionField,
  previousVersion: modelVersionField.nullable().describe("The champion before this decision; null without one."),
  reason: reasonField,
  runId: idField("runId"),
  metrics: metricsField.optional(),
  actor: z.string().min(1).max(200).optional().describe("Who promoted or rolled back by hand."),
};

/** `version` is now the champion: serving loads it. */
export const modelPromotedSchema = z.strictObject(registryDecisionShape);
export type ModelPromoted = z.infer<typeof modelPromotedSchema>;

/** The candidate `version` lost to the champion (or broke a policy); `reason` says how. */
export const modelRejectedSchema = z.strictObject(registryDecisionShape);
export type ModelRejected = z.infer<typeof modelRejectedSchema>;

/** One finished epoch of a running training. */
export const trainingProgressSchema = z
  .strictObject({
    runId: idField("runId"),
    dataset: datasetField,
    epoch: z.int().positive().describe("1-based."),
    epochs: z.int().positive(),
    metrics: metricsField,
  })
  .superRefine((event, ctx) => {
    if (event.epoch > event.epochs) {
      ctx.addIssue({ code: "custom", path: ["epoch"], message: `epoch ${event.epoch} is past epochs ${event.epochs}` });
    }
  });
export type TrainingProgress = z.infer<typeof trainingProgressSchema>;
