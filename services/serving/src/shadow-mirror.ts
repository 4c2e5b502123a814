import type { Logger } from "@gyre/log";
import type { LoadedModel } from "./loaded-model.ts";
import type { ModelOutput } from "./model-runner.ts";
import { argmax } from "./prediction-log.ts";
import type { ServingMetrics } from "./serving-metrics.ts";

export interface ShadowRequest {
  dataset: string;
  challenger: LoadedModel;
  rows: number;
  /** The challenger's own input for the request (its preprocessing may differ), computed off the request path. */
  input(): Float32Array;
  championOutput: ModelOutput;
  /** Called with the challenger's answer (to log it); never reaches the client. */
  onAnswer?(output: ModelOutput): void;
}

/** Regression answers within this relative difference agree. */
const VALUE_TOLERANCE = 1e-6;

/**
 * Shadow traffic: after the champion has answered, the same rows go to the challenger, off the request path (the
 * client's answer is already on its way). Its answer is compared with the champion's, counted in the agreement
 * metrics, handed to the prediction log, and dropped. Past `maxPendingRows` waiting, mirrors are dropped and counted.
 */
export class ShadowMirror {
  readonly #metrics: ServingMetrics;
  readonly #log: Logger;
  readonly #maxPendingRows: number;
  readonly #agreement = new Map<string, { agreed: number; total: number }>();
  #pendingRows = 0;

  constructor(options: { metrics: ServingMetrics; log: Logger; maxPendingRows: number }) {
    this.#metrics = options.metrics;
    this.#log = options.log;
    this.#maxPendingRows = options.maxPendingRows;
  }

  mirror(request: ShadowRequest): void {
    if (this.#pendingRows + request.rows > this.#maxPendingRows || request.challenger.retired) {
      this.#metrics.shadowDropped.inc({ dataset: request.dataset });
      return;
    }
    this.#pendingRows += request.rows;
    const challenger = request.challenger.acquire();
    setImmediate(() => {
      Promise.resolve()
        .then(() => challenger.batcher.infer(request.input(), request.rows))
        .then((output) => {
          this.#compare(request.dataset, request.championOutput, output, request.rows);
          request.onAnswer?.(output);
        })
        .catch((error: unknown) => {
          this.#metrics.shadowDropped.inc({ dataset: request.dataset });
          this.#log.warn(
            { event: "shadow.failed", dataset: request.dataset, modelVersion: challenger.version, err: error },
            "shadow failed",
          );
        })
        .finally(() => {
          this.#pendingRows -= request.rows;
          challenger.release();
        });
    });
  }

  #compare(dataset: string, champion: ModelOutput, challenger: ModelOutput, rows: number): void {
    let agreed = 0;
    for (let row = 0; row < rows; row++) if (rowsAgree(champion, challenger, row)) agreed += 1;
    const totals = this.#agreement.get(dataset) ?? { agreed: 0, total: 0 };
    totals.agreed += agreed;
    totals.total += rows;
    this.#agreement.set(dataset, totals);
    if (agreed > 0) this.#metrics.shadowRows.inc({ dataset, agreement: "agree" }, agreed);
    if (rows > agreed) this.#metrics.shadowRows.inc({ dataset, agreement: "disagree" }, rows - agreed);
    this.#metrics.shadowAgreement.set({ dataset }, totals.agreed / totals.total);
  }
}

/** Same predicted class, or values equal within VALUE_TOLERANCE (relative). */
export function rowsAgree(a: ModelOutput, b: ModelOutput, row: number): boolean {
  if (a.kind === "classification" && b.kind === "classification") {
    const width = a.classes.length;
    if (b.classes.length !== width) return false;
    const labelA = a.classes[argmax(a.probabilities.subarray(row * width, (row + 1) * width))];
    const labelB = b.classes[argmax(b.probabilities.subarray(row * width, (row + 1) * width))];
    return labelA === labelB;
  }
  if (a.kind === "regression" && b.kind === "regression") {
    const x = a.values[row] as number;
    const y = b.values[row] as number;
    return Math.abs(x - y) <= VALUE_TOLERANCE * Math.max(1, Math.abs(x));
  }
  return false;
}
