import { datasetNameSchema } from "@gyre/contracts";
import { z } from "zod";

/** Column names reach SQL identifiers (quoted) and JSON keys, so they are strict too. */
const COLUMN_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
export const columnNameSchema = z.string().refine((value) => COLUMN_PATTERN.test(value), {
  error: (issue) =>
    `column ${JSON.stringify(issue.input)}: names start with a letter or "_", then use letters, digits and "_", at most 63 characters`,
});

export const FEATURE_TYPES = ["numeric", "integer", "categorical", "boolean", "timestamp"] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

export const featureSpecSchema = z
  .object({
    name: columnNameSchema,
    type: z.enum(FEATURE_TYPES),
    nullable: z.boolean().default(false),
    min: z.number().finite().optional(),
    max: z.number().finite().optional(),
    categories: z.array(z.string().min(1).max(200)).min(1).max(10_000).optional(),
    description: z.string().max(2000).optional(),
  })
  .superRefine((feature, ctx) => {
    if (feature.min !== undefined && feature.max !== undefined && feature.min > feature.max) {
      ctx.addIssue({ code: "custom", message: `min ${feature.min} is above max ${feature.max}`, path: ["min"] });
    }
    const numeric = feature.type === "numeric" || feature.type === "integer";
    if (!numeric && (feature.min !== undefined || feature.max !== undefined)) {
      ctx.addIssue({ code: "custom", message: `min/max only apply to numeric features, not ${feature.type}` });
    }
    if (feature.type !== "categorical" && feature.categories !== undefined) {
      ctx.addIssue({ code: "custom", message: `categories only apply to categorical features, not ${feature.type}` });
    }
    if (feature.type === "categorical" && feature.categories === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "a categorical feature lists its allowed categories",
        path: ["categories"],
      });
    }
  });
export type FeatureSpec = z.infer<typeof featureSpecSchema>;

export const labelSpecSchema = z
  .object({
    name: columnNameSchema,
    /** categorical → classification, numeric → regression. */
    type: z.enum(["categorical", "numeric"]),
    classes: z.array(z.string().min(1).max(200)).min(2).max(1000).optional(),
  })
  .superRefine((label, ctx) => {
    if (label.type === "categorical" && label.classes === undefined) {
      ctx.addIssue({ code: "custom", message: "a categorical label lists its classes", path: ["classes"] });
    }
  });
export type LabelSpec = z.infer<typeof labelSpecSchema>;

/** A duration: a whole number of seconds, minutes, hours or days ("90s", "15m", "24h", "7d"). */
const DURATION_PATTERN = /^([1-9][0-9]{0,5})(s|m|h|d)$/;
const UNIT_MILLIS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const durationSchema = z.string().refine((value) => DURATION_PATTERN.test(value), {
  error: (issue) =>
    `duration ${JSON.stringify(issue.input)}: expected a whole number and a unit s, m, h or d (for example "24h" or "7d")`,
});

/** A duration of the spec ("24h") in milliseconds; undefined for a row count (a number). */
export function durationMillis(value: number | string): number | undefined {
  if (typeof value === "number") return undefined;
  const match = DURATION_PATTERN.exec(value);
  if (!match) throw new RangeError(`duration ${JSON.stringify(value)}: expected for example "24h" or "7d"`);
  return Number(match[1]) * UNIT_MILLIS[match[2] as keyof typeof UNIT_MILLIS];
}

const rowCount = z.number().int().min(1).max(365);

/** Row-level transforms applied by the feature store; each adds one column named `name`. */
export const transformSpecSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("datePart"),
    name: columnNameSchema,
    from: columnNameSchema,
    part: z.enum(["month", "dayOfYear", "dayOfWeek", "hour", "year"]),
  }),
  z.object({
    kind: z.literal("ratio"),
    name: columnNameSchema,
    numerator: columnNameSchema,
    denominator: columnNameSchema,
  }),
  /**
   * `lag: k` (rows): the value of `column` in the k-th earlier row of the same entity by event time (point in time
   * correct). `lag: "24h"` (a duration d): the value of the entity's latest row at or before t − d. `column` may be
   * the label: the entity's previous observed label.
   */
  z.object({
    kind: z.literal("lag"),
    name: columnNameSchema,
    column: columnNameSchema,
    lag: z.union([rowCount, durationSchema]).default(1),
  }),
  /**
   * `window: k` (rows): mean of `column` over the k earlier rows of the same entity. `window: "7d"` (a duration d):
   * mean over the entity's rows with event time in [t − d, t). The current row never counts.
   */
  z.object({
    kind: z.literal("rollingMean"),
    name: columnNameSchema,
    column: columnNameSchema,
    window: z.union([rowCount, durationSchema]),
  }),
]);
export type TransformSpec = z.infer<typeof transformSpecSchema>;

export const validationPolicySchema = z.object({
  /** A batch whose share of invalid rows is above this is rejected whole; below, bad rows are quarantined. */
  maxInvalidShare: z.number().min(0).max(1).default(0.1),
});

export const trainingPolicySchema = z.object({
  /** Retrain after this many new labelled rows (0: never on row count). */
  retrainEveryRows: z.number().int().min(0).default(1000),
  onDrift: z.boolean().default(true),
  cooldownSeconds: z.number().int().min(0).default(0),
  /** Training window: the most recent `rows` rows, or all when unset. */
  windowRows: z.number().int().min(1).optional(),
  holdoutShare: z.number().gt(0).lt(1).default(0.2),
  /** Minimum rows before a first model is trained. */
  minRows: z.number().int().min(1).default(100),
  seed: z.number().int().default(42),
});

export const modelSpecSchema = z.object({
  kind: z.enum(["mlp-classifier", "mlp-regressor", "logistic"]),
  layers: z
    .array(
      z.object({
        units: z.number().int().min(1).max(4096),
        activation: z.enum(["relu", "tanh", "sigmoid", "elu", "linear"]).default("relu"),
      }),
    )
    .max(16)
    .default([]),
  epochs: z.number().int().min(1).max(10_000).default(20),
  batchSize: z.number().int().min(1).max(65_536).default(64),
  learningRate: z.number().gt(0).max(10).default(0.01),
  earlyStopping: z.object({ patience: z.number().int().min(1), minDelta: z.number().min(0).default(0) }).optional(),
});

export const promotionPolicySchema = z.object({
  metric: z.enum(["accuracy", "macro_f1", "roc_auc", "log_loss", "rmse", "mae"]),
  /** The challenger must beat the champion by at least this much on the primary metric. */
  minImprovement: z.number().min(0).default(0),
  /** Guard metrics may not get worse by more than `maxDegradation`. */
  guards: z
    .array(
      z.object({
        metric: z.enum(["accuracy", "macro_f1", "roc_auc", "log_loss", "rmse", "mae"]),
        maxDegradation: z.number().min(0).default(0),
      }),
    )
    .default([]),
});

export const DRIFT_RULES = ["both", "p-value", "effect-size"] as const;

export const driftPolicySchema = z.object({
  pValue: z.number().gt(0).lt(1).default(0.05),
  correction: z.enum(["bonferroni", "fdr", "none"]).default("bonferroni"),
  /** Dataset drift when at least this share of features drifted. */
  shareThreshold: z.number().gt(0).max(1).default(0.5),
  minWindowRows: z.number().int().min(1).default(200),
  cooldownSeconds: z.number().int().min(0).default(300),
  /** Performance drift when the prequential metric falls below holdout metric × (1 − this). */
  performanceDropThreshold: z.number().min(0).max(1).default(0.1),
  /**
   * What marks a feature drifted: its test's corrected p-value and its effect size both (the default: a test on a
   * large window flags differences too small to matter, an effect size on a small one flags noise), either alone.
   */
  rule: z.enum(DRIFT_RULES).default("both"),
  /** Effect size of a numeric feature: Wasserstein distance over the reference's standard deviation (Evidently's 0.1). */
  wassersteinThreshold: z.number().gt(0).default(0.1),
  /** Effect size of a categorical or boolean feature: PSI (0.1–0.25 is a moderate shift, above 0.25 a major one). */
  psiThreshold: z.number().gt(0).default(0.2),
  /** Thresholds for named features (model inputs), replacing the two above for them. */
  featureThresholds: z
    .record(z.string(), z.strictObject({ wasserstein: z.number().gt(0).optional(), psi: z.number().gt(0).optional() }))
    .default({}),
  /**
   * Compare a window of batches with rows of the same calendar months of earlier years (seen by monitoring) instead
   * of the champion's whole training reference; until such rows exist, the training reference is used.
   */
  seasonalReference: z.boolean().default(false),
});

export type DriftRule = (typeof DRIFT_RULES)[number];

export const datasetSpecSchema = z
  .object({
    name: datasetNameSchema,
    description: z.string().max(2000).optional(),
    eventTime: columnNameSchema,
    entityKey: columnNameSchema.optional(),
    features: z.array(featureSpecSchema).min(1).max(1000),
    label: labelSpecSchema,
    transforms: z.array(transformSpecSchema).max(200).default([]),
    validation: validationPolicySchema.default({ maxInvalidShare: 0.1 }),
    training: trainingPolicySchema,
    model: modelSpecSchema,
    promotion: promotionPolicySchema,
    drift: driftPolicySchema.default(driftPolicySchema.parse({})),
  })
  // Cross-references are checked whenever the parts they read have the right shape, even if other fields
  // failed, so one validation run lists every problem instead of revealing them one round at a time.
  .superRefine(checkColumnReferences, { when: (payload) => referencedPartsSchema.safeParse(payload.value).success });
export type DatasetSpec = z.infer<typeof datasetSpecSchema>;
export type DatasetSpecInput = z.input<typeof datasetSpecSchema>;

/** The shape `checkColumnReferences` relies on; looser than the spec itself on purpose (see the `when` above). */
const referencedPartsSchema = z.object({
  eventTime: z.string(),
  entityKey: z.string().optional(),
  features: z.array(z.object({ name: z.string(), type: z.string() })),
  label: z.object({ name: z.string() }),
  transforms: z.array(transformSpecSchema),
  drift: z.object({ featureThresholds: z.record(z.string(), z.unknown()).optional() }).optional(),
});

function checkColumnReferences(
  spec: {
    eventTime: string;
    entityKey?: string | undefined;
    features: FeatureSpec[];
    label: LabelSpec;
    transforms: TransformSpec[];
    drift?: { featureThresholds?: Record<string, unknown> | undefined } | undefined;
  },
  ctx: z.RefinementCtx,
): void {
  const columns = new Map(spec.features.map((feature) => [feature.name, feature]));
  const seen = new Set<string>();
  for (const [index, feature] of spec.features.entries()) {
    if (seen.has(feature.name)) {
      ctx.addIssue({
        code: "custom",
        message: `feature "${feature.name}" is declared twice`,
        path: ["features", index],
      });
    }
    seen.add(feature.name);
  }
  if (columns.has(spec.label.name)) {
    ctx.addIssue({ code: "custom", message: `label "${spec.label.name}" is also a feature`, path: ["label", "name"] });
  }
  const eventTime = columns.get(spec.eventTime);
  if (eventTime?.type !== "timestamp") {
    ctx.addIssue({
      code: "custom",
      message: `eventTime "${spec.eventTime}" must name a feature of type timestamp`,
      path: ["eventTime"],
    });
  }
  if (spec.entityKey !== undefined && !columns.has(spec.entityKey)) {
    ctx.addIssue({ code: "custom", message: `entityKey "${spec.entityKey}" is not a feature`, path: ["entityKey"] });
  }
  const known = new Set(columns.keys());
  for (const [index, transform] of spec.transforms.entries()) {
    const inputs =
      transform.kind === "datePart"
        ? [transform.from]
        : transform.kind === "ratio"
          ? [transform.numerator, transform.denominator]
          : [transform.column];
    for (const input of inputs) {
      if (input === spec.label.name) {
        // the label of an earlier row is known once that row arrived; the row's own label never is
        if (transform.kind !== "lag") {
          ctx.addIssue({
            code: "custom",
            message: `transform "${transform.name}" (${transform.kind}) reads the label "${input}": only a lag may read the label (an earlier row's label); the row's own label is what the model predicts`,
            path: ["transforms", index],
          });
        }
        continue;
      }
      if (!known.has(input)) {
        ctx.addIssue({
          code: "custom",
          message: `transform "${transform.name}" reads "${input}", which is neither a feature nor an earlier transform`,
          path: ["transforms", index],
        });
      }
    }
    if (known.has(transform.name) || transform.name === spec.label.name) {
      ctx.addIssue({
        code: "custom",
        message: `transform "${transform.name}" reuses an existing column name`,
        path: ["transforms", index, "name"],
      });
    }
    known.add(transform.name);
  }
  for (const name of Object.keys(spec.drift?.featureThresholds ?? {})) {
    if (!known.has(name)) {
      ctx.addIssue({
        code: "custom",
        message: `drift.featureThresholds names "${name}", which is neither a feature nor a transform`,
        path: ["drift", "featureThresholds", name],
      });
    }
  }
}
