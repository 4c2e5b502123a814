import type { JetStreamClient, JetStreamManager, JsMsg } from "@nats-io/jetstream";
import { type MsgHdrs, headers as natsHeaders } from "@nats-io/transport-node";

export const DLQ_HEADERS = {
  kind: "Gyre-Dlq-Kind",
  reason: "Gyre-Dlq-Reason",
  originalSubject: "Gyre-Dlq-Original-Subject",
  originalMsgId: "Gyre-Dlq-Original-Msg-Id",
  originalStreamSeq: "Gyre-Dlq-Original-Stream-Seq",
  deliveryCount: "Gyre-Dlq-Delivery-Count",
  service: "Gyre-Dlq-Service",
} as const;

/**
 * Why a message was dead-lettered, as a short fixed word (a metrics label): `invalid` body, subject or event;
 * `permanent` (the handler threw PermanentError); `exhausted` (the handler failed maxDeliver times);
 * `lost` (an earlier last attempt never finished: crash or ack timeout).
 */
export type DeadLetterKind = "invalid" | "permanent" | "exhausted" | "lost";

export interface DeadLetterCause {
  kind: DeadLetterKind;
  /** For people: what was wrong, with the values. */
  reason: string;
}

const MSG_ID_HEADER = "Nats-Msg-Id";
const MAX_REASON_LENGTH = 2000;

/** Header values are one line; reasons from schema errors can be long. */
function headerValue(text: string): string {
  const line = text.replace(/[\r\n]+/g, " ");
  return line.length > MAX_REASON_LENGTH ? `${line.slice(0, MAX_REASON_LENGTH - 1)}…` : line;
}

/**
 * The DLQ copy carries the original headers, minus `Nats-*` publish directives (a copied `Nats-Expected-*` would make
 * the DLQ publish fail, a copied Nats-Msg-Id would dedupe against the wrong message); the original id is kept.
 */
export function deadLetterHeaders(msg: JsMsg, service: string, cause: DeadLetterCause): MsgHdrs {
  const out = natsHeaders();
  for (const [key, values] of msg.headers ?? []) {
    if (key.toLowerCase().startsWith("nats-")) continue;
    for (const value of values) out.append(key, value);
  }
  const originalMsgId = msg.headers?.get(MSG_ID_HEADER);
  if (originalMsgId) out.set(DLQ_HEADERS.originalMsgId, originalMsgId);
  out.set(DLQ_HEADERS.kind, cause.kind);
  out.set(DLQ_HEADERS.reason, headerValue(cause.reason));
  out.set(DLQ_HEADERS.originalSubject, msg.subject);
  out.set(DLQ_HEADERS.originalStreamSeq, String(msg.info.streamSequence));
  out.set(DLQ_HEADERS.deliveryCount, String(msg.info.deliveryCount));
  out.set(DLQ_HEADERS.service, service);
  return out;
}

/** Same message, same id: a move repeated after a crash or a lost ack is dropped as a duplicate. */
export function deadLetterMsgId(msg: JsMsg, service: string): string {
  return `dlq-${service}-${msg.info.stream}-${msg.info.streamSequence}`;
}

/** Publishes the original payload and headers with the reason to `dlqSubject`, then waits for the PubAck. */
export async function publishDeadLetter(
  js: JetStreamClient,
  dlqSubject: string,
  service: string,
  msg: JsMsg,
  cause: DeadLetterCause,
): Promise<void> {
  await js.publish(dlqSubject, msg.data, {
    msgID: deadLetterMsgId(msg, service),
    headers: deadLetterHeaders(msg, service, cause),
  });
}

export interface DeadLetter {
  /** Sequence in the DLQ stream; pass `fromSeq: seq + 1` to read on. */
  seq: number;
  time: Date;
  service: string;
  /** Empty for letters written before kinds existed. */
  kind: DeadLetterKind | "";
  reason: string;
  originalSubject: string;
  originalMsgId?: string;
  deliveryCount: number;
  /** The original message body, byte for byte. */
  payload: Uint8Array;
  /** The original headers (trace context included) plus the `Gyre-Dlq-*` ones; `Nats-*` headers are left out. */
  headers: Record<string, string[]>;
}

export interface ReadDlqOptions {
  /** Most entries to return; default 100. */
  max?: number;
  /** DLQ stream sequence to start at; default 1 (the oldest kept). */
  fromSeq?: number;
}

/** Drops the `Nats-*` headers the server adds to a direct get (stream, sequence, time) and the DLQ's own id. */
function headerRecord(headers: MsgHdrs | undefined): Record<string, string[]> {
  const record: Record<string, string[]> = {};
  for (const [key, values] of headers ?? []) {
    if (!key.toLowerCase().startsWith("nats-")) record[key] = [...values];
  }
  return record;
}

/** Reads dead letters of one subject, oldest first, without consuming them (direct get by subject). */
export async function readDeadLetters(
  jsm: JetStreamManager,
  stream: string,
  subject: string,
  options: ReadDlqOptions = {},
): Promise<DeadLetter[]> {
  const max = options.max ?? 100;
  const letters: DeadLetter[] = [];
  let seq = options.fromSeq ?? 1;
  while (letters.length < max) {
    const stored = await jsm.direct.getMessage(stream, { seq, next_by_subj: subject });
    if (!stored) break;
    const header = stored.header;
    letters.push({
      seq: stored.seq,
      time: stored.time,
      service: header?.get(DLQ_HEADERS.service) ?? "",
      kind: (header?.get(DLQ_HEADERS.kind) ?? "") as DeadLetterKind | "",
      reason: header?.get(DLQ_HEADERS.reason) ?? "",
      originalSubject: header?.get(DLQ_HEADERS.originalSubject) ?? "",
      ...(header?.has(DLQ_HEADERS.originalMsgId) ? { originalMsgId: header.get(DLQ_HEADERS.originalMsgId) } : {}),
      deliveryCount: Number(header?.get(DLQ_HEADERS.deliveryCount) ?? 0),
      payload: stored.data,
      headers: headerRecord(header),
    });
    seq = stored.seq + 1;
  }
  return letters;
}
