import { z } from "zod";
import { eventSchemas } from "../events.ts";
import { EVENT_TYPES, type EventType } from "../subjects.ts";

export const SCHEMA_BASE_URL = "https://gyre.dev/schemas/";

const PURPOSE: Record<EventType, string> = {
  "data.arrived": "A producer hands a batch to ingestion, inline or as an s3:// reference.",
  "data.ingested": "Ingestion stored a raw batch (content-addressed by sha256); validation checks it next.",
  "data.validated": "A batch passed validation, with its statistics and anomalies; the feature store takes it.",
  "data.rejected": "A batch failed validation and is quarantined, with the reason.",
  "features.updated": "The feature store wrote a batch's rows; the trainer may retrain.",
  "model.trained": "A training run finished, with candidate and champion metrics on the same holdout.",
  "model.promoted": "The registry made a version the champion; serving loads it.",
  "model.rejected": "The registry kept the champion; the candidate lost or broke a policy.",
  "training.progress": "One epoch of a running training finished.",
  "predictions.logged": "Serving's sample of model inputs and outputs, for monitoring.",
  "labels.arrived": "Producers' true labels for predictions served earlier, keyed by request id, for monitoring.",
  "performance.measured": "The champion's score on a new labelled batch, before training on it.",
  "drift.detected": "Monitoring found data or performance drift; the trainer may retrain.",
};

export function schemaId(type: EventType): string {
  return `${SCHEMA_BASE_URL}${type}.json`;
}

/** JSON Schema (draft 2020-12) of each event type's whole CloudEvent, for producers in other languages. */
export function toJsonSchemas(): Record<EventType, object> {
  return Object.fromEntries(
    EVENT_TYPES.map((type) => {
      const { $schema, ...schema } = z.toJSONSchema(eventSchemas[type], { io: "input", target: "draft-2020-12" });
      return [
        type,
        { $schema, $id: schemaId(type), title: `Gyre ${type} event`, description: PURPOSE[type], ...schema },
      ];
    }),
  ) as Record<EventType, object>;
}
