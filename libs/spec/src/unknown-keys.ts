import { z } from "zod";
import { describeValue, formatPath } from "./problems.ts";

/**
 * zod objects drop keys they do not know, so a misspelt policy field (`retrainEveryRow`) would be
 * silently ignored and its default used. This walks the input along the schema and reports such keys.
 * The schema stays lenient on purpose: services reading a spec written by a newer CLI keep working.
 */
export function unknownKeyProblems(schema: z.ZodType, value: unknown): string[] {
  const problems: string[] = [];
  walk(schema, value, [], problems);
  return problems;
}

function walk(schema: z.ZodType, value: unknown, path: PropertyKey[], problems: string[]): void {
  if (value === undefined || value === null) return;
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable || schema instanceof z.ZodDefault) {
    walk(schema.unwrap() as z.ZodType, value, path, problems);
  } else if (schema instanceof z.ZodArray) {
    if (!Array.isArray(value)) return;
    for (const [index, element] of value.entries())
      walk(schema.element as z.ZodType, element, [...path, index], problems);
  } else if (schema instanceof z.ZodObject) {
    walkObject(schema, value, path, problems);
  } else if (schema instanceof z.ZodDiscriminatedUnion) {
    if (!isRecord(value)) return;
    const discriminator = schema.def.discriminator;
    const option = (schema.options as z.ZodType[]).find(
      (candidate) =>
        candidate instanceof z.ZodObject && isLiteralOf(candidate.shape[discriminator], value[discriminator]),
    );
    if (option !== undefined) walk(option, value, path, problems);
  }
}

function walkObject(schema: z.ZodObject, value: unknown, path: PropertyKey[], problems: string[]): void {
  if (!isRecord(value)) return;
  const shape = schema.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  const lenient = schema.def.catchall !== undefined && !(schema.def.catchall instanceof z.ZodNever);
  for (const [key, field] of Object.entries(value)) {
    const fieldSchema = shape[key];
    if (fieldSchema !== undefined) {
      walk(fieldSchema, field, [...path, key], problems);
    } else if (!lenient) {
      problems.push(`${formatPath([...path, key])}: unknown field ${describeValue(key)} (known: ${known.join(", ")})`);
    }
  }
}

function isLiteralOf(schema: z.ZodType | undefined, value: unknown): boolean {
  return schema instanceof z.ZodLiteral && schema.values.has(value as never);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
