import { z } from "zod";
import {
  batchKeyField,
  countField,
  datasetField,
  idField,
  MAX_INLINE_BYTES,
  objectKeyField,
  s3RefField,
  scalarField,
  sha256Field,
  specRevisionField,
  timeField,
} from "./fields.ts";

export const BATCH_FORMATS = ["csv", "ndjson", "json", "parquet"] as const;
export type BatchFormat = (typeof BATCH_FORMATS)[number];

/** How the bytes of a text batch are compressed; Parquet compresses its pages itself. */
export const BATCH_COMPRESSIONS = ["gzip"] as const;
export type BatchCompression = (typeof BATCH_COMPRESSIONS)[number];

/** Whether a batch of this format and compression is bytes (base64 inline) rather than text. */
export const isBinaryBatch = (format: BatchFormat, compression: BatchCompression | undefined): boolean =>
  format === "parquet" || compression !== undefined;

/** One row of a `json` batch: column → scalar value. */
export const jsonRowSchema = z.record(z.string().min(1).max(200), scalarField);

const inlineBytes = (rows: string | readonly unknown[]): number =>
  Buffer.byteLength(typeof rows === "string" ? rows : JSON.stringify(rows), "utf8");

/**
 * A producer hands over one batch: inline as text or row objects (`rows`), inline as base64 bytes (`rowsBase64`:
 * Parquet, gzip) or by reference (`ref`); exactly one of the three.
 */
export const dataArrivedSchema = z
  .strictObject({
    dataset: datasetField,
    batchKey: batchKeyField.describe("The producer's own key for the batch; the same key is the same batch."),
    format: z.enum(BATCH_FORMATS),
    compression: z
      .enum(BATCH_COMPRESSIONS)
      .optional()
      .describe("gzip: the bytes (inline or in S3) are gzip-compressed csv, ndjson or json. Absent: not compressed."),
    rows: z
      .union([z.string().min(1).max(MAX_INLINE_BYTES), z.array(jsonRowSchema).min(1)])
      .optional()
      .describe("Inline batch: CSV or NDJSON text, or (format json) an array of row objects."),
    rowsBase64: z
      .base64()
      .min(1)
      .max(MAX_INLINE_BYTES)
      .optional()
      .describe("Inline batch as bytes in base64 (RFC 4648): a Parquet file, or gzip-compressed csv, ndjson or json."),
    ref: s3RefField.optional().describe("The batch as an object in S3: s3://<bucket>/<key>."),
    labelled: z.boolean().optional().describe("Whether the rows carry the label column."),
    metadata: z.record(z.string().min(1).max(200), z.string().max(2000)).optional(),
  })
  .superRefine((event, ctx) => {
    const { rows, rowsBase64, ref, format, compression } = event;
    const given = Object.entries({ rows, rowsBase64, ref }).flatMap(([name, value]) =>
      value === undefined ? [] : [name],
    );
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        path: [],
        message: `rows, rowsBase64 and ref: exactly one is required, got ${given.length === 0 ? "none" : given.join(" and ")}`,
      });
      return;
    }
    if (format === "parquet" && compression !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["compression"],
        message: `compression "${compression}": Parquet compresses its own pages; send the file as it is`,
      });
    }
    const binary = isBinaryBatch(format, compression);
    const kind =
      compression === undefined ? `format "${format}"` : `format "${format}" with compression "${compression}"`;
    if (rowsBase64 !== undefined && !binary) {
      ctx.addIssue({
        code: "custom",
        path: ["rowsBase64"],
        message: `rowsBase64: ${kind} is text; send it in rows`,
      });
    }
    if (rows === undefined) return;
    if (binary) {
      ctx.addIssue({
        code: "custom",
        path: ["rows"],
        message: `rows: ${kind} is bytes; send them base64-encoded in rowsBase64`,
      });
      return;
    }
    if (format === "json" && typeof rows === "string") {
      ctx.addIssue({
        code: "custom",
        path: ["rows"],
        message: 'rows: format "json" takes an array of row objects, got a string',
      });
    }
    if (format !== "json" && typeof rows !== "string") {
      ctx.addIssue({
        code: "custom",
        path: ["rows"],
        message: `rows: format "${format}" takes a string, got an array`,
      });
    }
    const bytes = inlineBytes(rows);
    if (bytes > MAX_INLINE_BYTES) {
      ctx.addIssue({
        code: "custom",
        path: ["rows"],
        message: `rows: ${bytes} bytes inline, at most ${MAX_INLINE_BYTES}; put the batch in S3 and send ref`,
      });
    }
  })
  .meta({
    // What the refinement above checks, for JSON Schema validators.
    allOf: [
      { oneOf: [{ required: ["rows"] }, { required: ["rowsBase64"] }, { required: ["ref"] }] },
      {
        anyOf: [
          { required: ["ref"] },
          {
            required: ["rows"],
            not: { required: ["compression"] },
            anyOf: [
              { properties: { format: { const: "json" }, rows: { type: "array" } } },
              { properties: { format: { enum: ["csv", "ndjson"] }, rows: { type: "string" } } },
            ],
          },
          {
            required: ["rowsBase64"],
            anyOf: [{ properties: { format: { const: "parquet" } } }, { required: ["compression"] }],
          },
        ],
      },
      { not: { properties: { format: { const: "parquet" } }, required: ["compression"] } },
    ],
  });
export type DataArrived = z.infer<typeof dataArrivedSchema>;

function eventTimeRange(
  event: { eventTimeMin: string | null; eventTimeMax: string | null },
  ctx: z.RefinementCtx,
): void {
  const { eventTimeMin: min, eventTimeMax: max } = event;
  if ((min === null) !== (max === null)) {
    ctx.addIssue({
      code: "custom",
      path: [min === null ? "eventTimeMin" : "eventTimeMax"],
      message: `eventTimeMin ${JSON.stringify(min)} and eventTimeMax ${JSON.stringify(max)}: both set or both null`,
    });
  } else if (min !== null && max !== null && Date.parse(min) > Date.parse(max)) {
    ctx.addIssue({
      code: "custom",
      path: ["eventTimeMax"],
      message: `eventTimeMax "${max}" is before eventTimeMin "${min}"`,
    });
  }
}

/** Ingestion stored the raw batch (content-addressed) and assigned it a batch id. */
export const dataIngestedSchema = z
  .strictObject({
    batchId: idField("batchId"),
    dataset: datasetField,
    sha256: sha256Field.describe("SHA-256 of the stored raw batch."),
    objectKey: objectKeyField("objectKey").describe("Key of the raw batch in the raw bucket."),
    rowCount: countField,
    eventTimeMin: timeField.nullable().describe("Earliest event time in the batch; null when it has none."),
    eventTimeMax: timeField.nullable().describe("Latest event time in the batch; null when it has none."),
    specRevision: specRevisionField,
    batchKey: batchKeyField,
  })
  .superRefine(eventTimeRange);
export type DataIngested = z.infer<typeof dataIngestedSchema>;

/** One stored row of an entity, as serving's online history keeps it. */
export const onlineRowSchema = z.strictObject({
  entity: z.string().max(1000).describe('The entity key as text ("" for a dataset without one).'),
  eventTime: timeField,
  batchSeq: z.int().min(0).describe("The batch's position in the store's write order: breaks ties in event time."),
  rowIndex: z.int().min(0),
  values: jsonRowSchema.describe("Every stored column: features, datePart and ratio outputs, the label."),
});
export type OnlineRow = z.infer<typeof onlineRowSchema>;

/** The feature store wrote a validated batch's rows to the offline and online stores. */
export const featuresUpdatedSchema = z
  .strictObject({
    batchId: idField("batchId"),
    dataset: datasetField,
    rowsWritten: countField,
    watermark: timeField.describe("Latest event time now in the store."),
    specRevision: specRevisionField,
    labelledRows: countField,
    online: z
      .array(onlineRowSchema)
      .max(100_000)
      .optional()
      .describe(
        "The batch's rows that serving keeps in memory (per entity, those of its latest event times the spec's lags and rolling means reach), with every stored column; left out when too many for one event.",
      ),
  })
  .superRefine((event, ctx) => {
    if (event.labelledRows > event.rowsWritten) {
      ctx.addIssue({
        code: "custom",
        path: ["labelledRows"],
        message: `labelledRows ${event.labelledRows} is more than rowsWritten ${event.rowsWritten}`,
      });
    }
  });
export type FeaturesUpdated = z.infer<typeof featuresUpdatedSchema>;
