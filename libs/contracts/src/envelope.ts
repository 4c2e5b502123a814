import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EventType } from "./subjects.ts";

// A lone UTF-16 surrogate has no UTF-8 form: NATS headers and PostgreSQL would store U+FFFD, and distinct ids would meet.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * The event id is the Nats-Msg-Id header and a key in services' tables (unique per event): any text, 1-200
 * characters, but no control characters (NUL cannot be stored, a line break cannot be a header) and no lone surrogates.
 */
export const eventIdSchema = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => !CONTROL_CHARACTER.test(id) && !LONE_SURROGATE.test(id), {
    error: (issue) =>
      `event id ${JSON.stringify(issue.input)}: ids may not hold control characters or lone UTF-16 surrogates`,
  });

/** CloudEvents 1.0, structured JSON form. `data` is typed per event by `eventSchemas`. */
export function cloudEventSchema<T extends z.ZodType>(type: EventType, data: T) {
  return z.object({
    specversion: z.literal("1.0"),
    id: eventIdSchema,
    source: z.string().min(1).max(500),
    type: z.literal(type),
    time: z.iso.datetime({ offset: true }),
    datacontenttype: z.literal("application/json"),
    subject: z.string().max(500).optional(),
    data,
  });
}

export interface CloudEvent<T = unknown> {
  specversion: "1.0";
  id: string;
  source: string;
  type: EventType;
  time: string;
  datacontenttype: "application/json";
  subject?: string;
  data: T;
}

export interface NewEventOptions {
  /** Stable id for idempotent publishes; a fresh UUID when omitted. */
  id?: string;
  time?: Date;
  subject?: string;
}

export function newCloudEvent<T>(
  type: EventType,
  source: string,
  data: T,
  options: NewEventOptions = {},
): CloudEvent<T> {
  return {
    specversion: "1.0",
    id: options.id ?? randomUUID(),
    source,
    type,
    time: (options.time ?? new Date()).toISOString(),
    datacontenttype: "application/json",
    ...(options.subject === undefined ? {} : { subject: options.subject }),
    data,
  };
}
