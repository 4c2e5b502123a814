import {
  buildModel,
  buildSignature,
  checkModelFitsLabel,
  type Evaluation,
  evaluate,
  type FeatureRow,
  fitPreprocessing,
  InvalidFeatureValueError,
  labelTarget,
  METADATA_FORMAT,
  type ModelBundle,
  type ModelMetrics,
  type RunInfo,
  referenceStats,
  TrainingDivergedError,
  TrainingInputError,
  targetTensor,
  transformRows,
} from "@gyre/model";
import { type DatasetSpec, modelInputColumns } from "@gyre/spec";
import * as tf from "@tensorflow/tfjs";
import { type EpochLog, fitSeeded } from "./fit.ts";
import { checkTrainingInput } from "./training-input.ts";

/** With early stopping, this share of the training rows (the latest) is held back to watch val_loss. */
export const VALIDATION_SHARE = 0.1;

export interface TrainInput {
  spec: DatasetSpec;
  /** Training rows in event-time order (as the feature store exports them). */
  trainRows: readonly FeatureRow[];
  /** Holdout rows, later than every training row; the candidate is scored on these. */
  holdoutRows: readonly FeatureRow[];
  /** Defaults to the spec's training.seed. */
  seed?: number;
  onEpoch?: (log: EpochLog) => void | Promise<void>;
  run?: Partial<RunInfo>;
}

export interface TrainedModel {
  bundle: ModelBundle;
  /** The candidate's metrics on the holdout (also in bundle.metadata). */
  metrics: ModelMetrics;
  evaluation: Evaluation;
  epochs: EpochLog[];
  durationMs: number;
  backend: string;
}

/**
 * Fits preprocessing on the training rows, trains the spec's model with its seed, and scores it on the holdout.
 * Throws TrainingInputError, before any training, for rows and specs that cannot make a model (a value of the
 * wrong type in a model input column, found while fitting or scoring, is one too: "bad-feature-value").
 */
export async function trainModel(input: TrainInput): Promise<TrainedModel> {
  try {
    return await train(input);
  } catch (error) {
    if (!(error instanceof InvalidFeatureValueError)) throw error;
    throw new TrainingInputError("bad-feature-value", error.value, error.message);
  }
}

async function train(input: TrainInput): Promise<TrainedModel> {
  const started = performance.now();
  const { spec } = input;
  const seed = input.seed ?? spec.training.seed;
  const columns = modelInputColumns(spec);
  const label = labelTarget(spec);
  checkModelFitsLabel(spec.model, label);
  const labelled = checkTrainingInput(spec, label, columns, input.trainRows, input.holdoutRows);

  const preprocessing = fitPreprocessing(spec, labelled.rows);
  const width = preprocessing.features.length;
  const built = buildModel(spec.model, preprocessing.label, width, seed);
  const classCount = preprocessing.label.kind === "classification" ? preprocessing.label.classes.length : 1;
  const validationRows = spec.model.earlyStopping ? validationSize(labelled.rows.length) : 0;
  const fitRows = labelled.rows.length - validationRows;
  const x = tf.tensor2d(transformRows(preprocessing, labelled.rows), [labelled.rows.length, width], "float32");
  const y = targetTensor(built.output, labelled.targets, classCount);
  const split = tf.tidy(() => ({
    fitX: x.slice([0, 0], [fitRows, width]) as tf.Tensor2D,
    fitY: y.slice([0, 0], [fitRows, -1]) as tf.Tensor2D,
    validation:
      validationRows > 0
        ? {
            x: x.slice([fitRows, 0], [validationRows, width]) as tf.Tensor2D,
            y: y.slice([fitRows, 0], [validationRows, -1]) as tf.Tensor2D,
          }
        : undefined,
  }));
  tf.dispose([x, y]);
  try {
    const fitted = await fitSeeded(built.model, split.fitX, split.fitY, {
      epochs: spec.model.epochs,
      batchSize: spec.model.batchSize,
      seed,
      metric: { key: built.metricKey, name: preprocessing.label.kind === "classification" ? "accuracy" : "mae" },
      validation: split.validation,
      earlyStopping: spec.model.earlyStopping,
      onEpoch: input.onEpoch,
    });
    const diverged = fitted.history.find((epoch) => !Number.isFinite(epoch.loss));
    if (diverged) throw new TrainingDivergedError(diverged.epoch, spec.model.learningRate);

    const bundle: ModelBundle = {
      model: built.model,
      preprocessing,
      signature: buildSignature(columns, preprocessing, built.output),
      referenceStats: referenceStats(columns, preprocessing.label, labelled.rows, seed),
      metadata: {
        format: METADATA_FORMAT,
        runId: input.run?.runId ?? "",
        dataset: spec.name,
        specRevision: input.run?.specRevision ?? null,
        snapshotId: input.run?.snapshotId ?? null,
        codeVersion: input.run?.codeVersion ?? "",
        backend: tf.getBackend(),
        tfjsVersion: tf.version_core,
        seed,
        params: spec.model,
        epochs: { run: fitted.history.length, best: fitted.bestEpoch, stoppedEarly: fitted.stoppedEarly },
        rows: { train: fitRows, validation: validationRows, holdout: labelled.holdoutRows },
        metrics: {},
        durationMs: 0,
        created: new Date().toISOString(),
      },
    };
    const evaluation = evaluate(bundle, input.holdoutRows);
    const durationMs = performance.now() - started;
    bundle.metadata.metrics = evaluation.metrics;
    bundle.metadata.durationMs = Math.round(durationMs);
    return {
      bundle,
      metrics: evaluation.metrics,
      evaluation,
      epochs: fitted.history,
      durationMs,
      backend: bundle.metadata.backend,
    };
  } catch (error) {
    built.model.dispose();
    throw error;
  } finally {
    tf.dispose([split.fitX, split.fitY, split.validation?.x, split.validation?.y].filter((t) => t !== undefined));
  }
}

/** The latest VALIDATION_SHARE of the rows, at least one, leaving at least one to fit on; 0 below two rows. */
function validationSize(rows: number): number {
  if (rows < 2) return 0;
  return Math.min(rows - 1, Math.max(1, Math.round(rows * VALIDATION_SHARE)));
}
