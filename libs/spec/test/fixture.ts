import type { DatasetSpecInput } from "../src/index.ts";

/** A small valid spec; tests copy it and break one thing at a time. */
export function baseSpec(): DatasetSpecInput {
  return {
    name: "weather",
    eventTime: "date",
    entityKey: "location",
    features: [
      { name: "location", type: "categorical", categories: ["New York", "Seattle"] },
      { name: "date", type: "timestamp" },
      { name: "precipitation", type: "numeric", min: 0, max: 300 },
      { name: "temp_max", type: "numeric", min: -40, max: 50 },
    ],
    label: { name: "weather", type: "categorical", classes: ["rain", "sun"] },
    transforms: [{ kind: "datePart", name: "month", from: "date", part: "month" }],
    training: { retrainEveryRows: 300 },
    model: { kind: "mlp-classifier", layers: [{ units: 16, activation: "relu" }] },
    promotion: { metric: "accuracy" },
  };
}
