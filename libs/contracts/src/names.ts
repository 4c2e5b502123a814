import { z } from "zod";

/** Names end up in NATS subjects, S3 object keys and SQL identifiers, so they are strict. */
const NAME_PATTERN = /^[a-z][a-z0-9_-]{0,62}$/;
const NAME_RULE = 'names start with a-z, then use a-z, 0-9, "-" and "_", at most 63 characters';

export class InvalidNameError extends Error {
  override name = "InvalidNameError";
  constructor(
    readonly kind: string,
    readonly value: unknown,
  ) {
    super(`${kind} ${JSON.stringify(value)}: ${NAME_RULE}`);
  }
}

function strictName(kind: string) {
  return z.string().refine((value) => NAME_PATTERN.test(value), {
    error: (issue) => `${kind} ${JSON.stringify(issue.input)}: ${NAME_RULE}`,
  });
}

export const datasetNameSchema = strictName("dataset");
export const namespaceSchema = strictName("namespace");
export const serviceNameSchema = strictName("service");

export function isValidName(value: unknown): value is string {
  return typeof value === "string" && NAME_PATTERN.test(value);
}

/** Returns the name unchanged or throws an InvalidNameError that names the value. */
export function parseName(kind: "dataset" | "namespace" | "service", value: unknown): string {
  if (!isValidName(value)) throw new InvalidNameError(kind, value);
  return value;
}

export const parseDatasetName = (value: unknown): string => parseName("dataset", value);
