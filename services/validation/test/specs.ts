import { type DatasetSpec, type DatasetSpecInput, datasetSpecSchema } from "@gyre/spec";

const WEATHER_CLASSES = ["drizzle", "fog", "rain", "snow", "sun"];

/** A full spec around the given schema part; the training, model and promotion parts do not matter here. */
export function specWith(
  schema: Pick<DatasetSpecInput, "features" | "label"> & Partial<DatasetSpecInput>,
): DatasetSpec {
  return datasetSpecSchema.parse({
    name: "weather",
    eventTime: "date",
    training: {},
    model: { kind: "mlp-classifier" },
    promotion: { metric: "accuracy" },
    ...schema,
  });
}

/** seattle-weather.csv as a spec: date, four numeric measurements, the weather as the label. */
export function seattleWeatherSpec(maxInvalidShare = 0.1): DatasetSpec {
  return specWith({
    features: [
      { name: "date", type: "timestamp" },
      { name: "precipitation", type: "numeric", min: 0 },
      { name: "temp_max", type: "numeric", min: -40, max: 50 },
      { name: "temp_min", type: "numeric", min: -40, max: 50 },
      { name: "wind", type: "numeric", min: 0 },
    ],
    label: { name: "weather", type: "categorical", classes: WEATHER_CLASSES },
    validation: { maxInvalidShare },
  });
}

/** One feature of every type, for row checks. */
export const everyTypeSpec = specWith({
  features: [
    { name: "date", type: "timestamp" },
    { name: "temp_max", type: "numeric", min: -40, max: 50 },
    { name: "wind", type: "numeric", nullable: true },
    { name: "visits", type: "integer", min: 0 },
    { name: "station", type: "categorical", categories: ["north", "south"] },
    { name: "holiday", type: "boolean" },
  ],
  label: { name: "weather", type: "categorical", classes: WEATHER_CLASSES },
});

export const numericLabelSpec = specWith({
  features: [{ name: "date", type: "timestamp" }],
  label: { name: "rainfall", type: "numeric" },
});
