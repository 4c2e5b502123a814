import type { LabelKind } from "./columns.ts";
import type { DatasetSpecInput } from "./schema.ts";

type DraftPolicies = Pick<DatasetSpecInput, "validation" | "training" | "model" | "promotion" | "drift">;

const SHARED = {
  validation: { maxInvalidShare: 0.1 },
  training: { retrainEveryRows: 1000, onDrift: true, cooldownSeconds: 0, holdoutShare: 0.2, minRows: 100, seed: 42 },
  drift: {
    pValue: 0.05,
    correction: "bonferroni",
    shareThreshold: 0.5,
    minWindowRows: 200,
    cooldownSeconds: 300,
    performanceDropThreshold: 0.1,
  },
} satisfies Partial<DraftPolicies>;

const MODEL = { layers: [{ units: 16, activation: "relu" }], epochs: 20, batchSize: 64, learningRate: 0.01 } as const;

/**
 * Policies a draft starts from: a small MLP (one hidden layer of 16 relu units) and a promotion rule on the
 * usual metric. A classifier also guards log loss, so a challenger cannot win accuracy with overconfident
 * probabilities; a regressor gets no guard, because an error-size guard has the label's units, which a
 * draft cannot know.
 */
export function draftPolicies(kind: LabelKind): DraftPolicies {
  if (kind === "classification") {
    return {
      ...SHARED,
      model: { kind: "mlp-classifier", ...MODEL, layers: [...MODEL.layers] },
      promotion: { metric: "accuracy", minImprovement: 0, guards: [{ metric: "log_loss", maxDegradation: 0.05 }] },
    };
  }
  return {
    ...SHARED,
    model: { kind: "mlp-regressor", ...MODEL, layers: [...MODEL.layers] },
    promotion: { metric: "rmse", minImprovement: 0, guards: [] },
  };
}
