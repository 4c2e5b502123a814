import { modelSpecSchema } from "@gyre/spec";
import { z } from "zod";

export const METADATA_FORMAT = "gyre.model-metadata/v1";

/** Who asked for the run and from what; the wiring fills it from the trigger and the feature store export. */
export interface RunInfo {
  runId: string;
  specRevision: number | null;
  /** The feature store snapshot the rows came from; replaying it reproduces the run. */
  snapshotId: string | null;
  /** Git commit, or the package version where there is no git. */
  codeVersion: string;
}

const metricsSchema = z.partialRecord(
  z.enum(["accuracy", "log_loss", "macro_f1", "roc_auc", "rmse", "mae"]),
  z.number(),
);

const metadataSchema = z.object({
  format: z.literal(METADATA_FORMAT),
  runId: z.string(),
  dataset: z.string(),
  specRevision: z.number().int().nullable(),
  snapshotId: z.string().nullable(),
  codeVersion: z.string(),
  backend: z.string(),
  tfjsVersion: z.string(),
  seed: z.number().int(),
  /** The spec's model section as trained: kind, layers, epochs, batch size, learning rate, early stopping. */
  params: modelSpecSchema,
  epochs: z.object({ run: z.number().int().min(0), best: z.number().int().min(0), stoppedEarly: z.boolean() }),
  rows: z.object({
    train: z.number().int().min(0),
    validation: z.number().int().min(0),
    holdout: z.number().int().min(0),
  }),
  /** The candidate's metrics on the holdout. */
  metrics: metricsSchema,
  durationMs: z.number().min(0),
  created: z.iso.datetime(),
});

export type RunMetadata = z.infer<typeof metadataSchema>;

export function parseMetadata(json: unknown): RunMetadata {
  return metadataSchema.parse(json);
}
