import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { EventType } from "./subjects.ts";

/** CloudEvents 1.0, structured JSON form. `data` is typed per event by `eventSchemas`. */
export function cloudEventSchema<T extends z.ZodType>(type: EventType, data: T) {
  return z.object({
    specversion: z.literal("1.0"),
    id: z.string().min(1).max(200),
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
