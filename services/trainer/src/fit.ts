import { deriveSeed, mulberry32, permutation } from "@gyre/model";
import * as tf from "@tensorflow/tfjs";

/** One epoch, as recorded with the run and published as `training.progress`. */
export interface EpochLog {
  /** 1-based. */
  epoch: number;
  loss: number;
  /** Loss on the validation slice; null when the run has no early stopping (and so no slice). */
  valLoss: number | null;
  /** "accuracy" for classifiers, "mae" for regressors. */
  metric: string;
  value: number;
  valValue: number | null;
}

export interface EarlyStopping {
  patience: number;
  minDelta: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  seed: number;
  /** tfjs's name of the compiled metric in the history ("acc", "mae") and the name to report it under. */
  metric: { key: string; name: string };
  validation?: { x: tf.Tensor2D; y: tf.Tensor2D } | undefined;
  earlyStopping?: EarlyStopping | undefined;
  onEpoch?: ((log: EpochLog) => void | Promise<void>) | undefined;
}

export interface FitResult {
  history: EpochLog[];
  /** The epoch whose weights the model holds at the end (the best by val_loss with early stopping). */
  bestEpoch: number;
  stoppedEarly: boolean;
}

/**
 * Trains epoch by epoch, each on its own seeded permutation of the rows (tfjs's own shuffle uses Math.random),
 * so two runs with the same seed on the same backend end with byte-identical weights. With early stopping,
 * stops once val_loss has not improved by more than minDelta for `patience` epochs, and restores the weights
 * of the best epoch.
 */
export async function fitSeeded(
  model: tf.LayersModel,
  x: tf.Tensor2D,
  y: tf.Tensor2D,
  options: FitOptions,
): Promise<FitResult> {
  const rows = x.shape[0];
  const validation = options.earlyStopping ? options.validation : undefined;
  const history: EpochLog[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, epoch: 0, weights: null as tf.Tensor[] | null };
  let stale = 0;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const order = tf.tensor1d(permutation(rows, mulberry32(deriveSeed(options.seed, "shuffle", epoch))), "int32");
      const xs = tf.gather(x, order);
      const ys = tf.gather(y, order);
      order.dispose();
      const result = await model
        .fit(xs, ys, {
          epochs: 1,
          batchSize: options.batchSize,
          shuffle: false,
          verbose: 0,
          ...(validation ? { validationData: [validation.x, validation.y] as [tf.Tensor, tf.Tensor] } : {}),
        })
        .finally(() => tf.dispose([xs, ys]));
      const log = epochLog(epoch, result.history, options.metric);
      history.push(log);
      await options.onEpoch?.(log);
      if (!validation || !options.earlyStopping || log.valLoss === null) continue;
      if (log.valLoss < best.loss - options.earlyStopping.minDelta) {
        tf.dispose(best.weights ?? []);
        best = { loss: log.valLoss, epoch, weights: model.getWeights().map((weight) => weight.clone()) };
        stale = 0;
      } else if (++stale >= options.earlyStopping.patience) {
        stoppedEarly = true;
        break;
      }
    }
    if (best.weights && best.epoch !== history.length) model.setWeights(best.weights);
    return { history, bestEpoch: best.weights ? best.epoch : history.length, stoppedEarly };
  } finally {
    tf.dispose(best.weights ?? []);
  }
}

function epochLog(
  epoch: number,
  history: Record<string, (number | tf.Tensor)[]>,
  metric: FitOptions["metric"],
): EpochLog {
  const read = (key: string): number | null => {
    const value = history[key]?.[0];
    if (value === undefined) return null;
    return typeof value === "number" ? value : (value.dataSync()[0] ?? null);
  };
  return {
    epoch,
    loss: read("loss") ?? Number.NaN,
    valLoss: read("val_loss"),
    metric: metric.name,
    value: read(metric.key) ?? Number.NaN,
    valValue: read(`val_${metric.key}`),
  };
}

/** An epoch as the `metrics` of a training.progress event: loss, val_loss, accuracy / mae and val_*, finite only. */
export function progressMetrics(log: EpochLog): Record<string, number> {
  const entries: [string, number | null][] = [
    ["loss", log.loss],
    ["val_loss", log.valLoss],
    [log.metric, log.value],
    [`val_${log.metric}`, log.valValue],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, number] => Number.isFinite(entry[1])));
}
