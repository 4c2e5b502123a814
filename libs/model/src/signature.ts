import type { ModelInputColumn } from "@gyre/spec";
import { z } from "zod";
import { INPUT_NAME, type OutputActivation } from "./model.ts";
import type { Preprocessing } from "./preprocessing.ts";

export const SIGNATURE_FORMAT = "gyre.signature/v1";

/**
 * What the model takes and gives, stored as signature.json: the named raw inputs a client sends (in order,
 * with their types), the [N, F] float32 tensor the model itself reads (after preprocessing.json), and the
 * outputs: class names with probabilities, or a value.
 */
export interface ModelSignature {
  format: typeof SIGNATURE_FORMAT;
  inputs: { name: string; type: ModelInputColumn["type"]; nullable: boolean; categories?: string[] }[];
  tensorInput: { name: string; dtype: "float32"; shape: [-1, number]; features: string[] };
  label: { name: string; kind: "classification" | "regression" };
  output:
    | {
        kind: "classification";
        name: "probabilities";
        dtype: "float32";
        shape: [-1, number];
        classes: string[];
        /** The model's own last layer: softmax over the classes, or sigmoid giving p(classes[1]). */
        activation: OutputActivation;
      }
    | { kind: "regression"; name: "value"; dtype: "float32"; shape: [-1, 1] };
}

export function buildSignature(
  columns: readonly ModelInputColumn[],
  preprocessing: Preprocessing,
  activation: OutputActivation,
): ModelSignature {
  const label = preprocessing.label;
  return {
    format: SIGNATURE_FORMAT,
    inputs: columns.map((column) => ({
      name: column.name,
      type: column.type,
      nullable: column.nullable,
      ...(column.categories ? { categories: [...column.categories] } : {}),
    })),
    tensorInput: {
      name: INPUT_NAME,
      dtype: "float32",
      shape: [-1, preprocessing.features.length],
      features: [...preprocessing.features],
    },
    label: { name: label.name, kind: label.kind },
    output:
      label.kind === "classification"
        ? {
            kind: "classification",
            name: "probabilities",
            dtype: "float32",
            shape: [-1, label.classes.length],
            classes: [...label.classes],
            activation,
          }
        : { kind: "regression", name: "value", dtype: "float32", shape: [-1, 1] },
  };
}

const signatureSchema = z.object({
  format: z.literal(SIGNATURE_FORMAT),
  inputs: z.array(
    z.object({
      name: z.string().min(1),
      type: z.enum(["numeric", "integer", "categorical", "boolean"]),
      nullable: z.boolean(),
      categories: z.array(z.string()).optional(),
    }),
  ),
  tensorInput: z.object({
    name: z.string().min(1),
    dtype: z.literal("float32"),
    shape: z.tuple([z.literal(-1), z.number().int().min(1)]),
    features: z.array(z.string()),
  }),
  label: z.object({ name: z.string().min(1), kind: z.enum(["classification", "regression"]) }),
  output: z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("classification"),
      name: z.literal("probabilities"),
      dtype: z.literal("float32"),
      shape: z.tuple([z.literal(-1), z.number().int().min(2)]),
      classes: z.array(z.string()).min(2),
      activation: z.enum(["softmax", "sigmoid", "linear"]),
    }),
    z.object({
      kind: z.literal("regression"),
      name: z.literal("value"),
      dtype: z.literal("float32"),
      shape: z.tuple([z.literal(-1), z.literal(1)]),
    }),
  ]),
});

export function parseSignature(json: unknown): ModelSignature {
  return signatureSchema.parse(json) as ModelSignature;
}
