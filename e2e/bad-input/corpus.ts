/**
 * A seeded corpus of malformed events for every subject a Gyre service consumes. The same seed gives the same
 * bytes, so a failure can be replayed. Every entry is meant to be refused: dead-lettered by each consuming service,
 * or (a well-formed data.ingested whose raw batch is missing) answered by validation with data.rejected.
 */

import { mulberry32 } from "@gyre/model";

/** The subjects the services consume, and which services (by DLQ name) must account for each. */
export const CONSUMED = {
  "data.arrived": ["ingestion"],
  "data.ingested": ["validation"],
  "data.validated": ["feature-store", "monitoring"],
  "features.updated": ["trainer"],
  "drift.detected": ["trainer"],
  "model.trained": ["registry"],
  "model.promoted": ["monitoring"],
  "predictions.logged": ["monitoring"],
} as const;
export type ConsumedType = keyof typeof CONSUMED;
export const CONSUMED_TYPES = Object.keys(CONSUMED) as ConsumedType[];

export type Category =
  | "not-json"
  | "wrong-shape"
  | "wrong-type"
  | "missing-field"
  | "huge"
  | "odd-unicode"
  | "unknown-dataset"
  | "path-traversal"
  | "sql-chars"
  | "mismatch"
  | "missing-object";

export interface CorpusEvent {
  /** Unique Nats-Msg-Id; the DLQ keeps it as Gyre-Dlq-Original-Msg-Id. */
  msgId: string;
  subject: string;
  type: ConsumedType;
  category: Category;
  body: Uint8Array;
  /** Set when validation may answer with data.rejected for this batch id instead of dead-lettering. */
  rejectableBatchId?: string;
  /** Every dataset name the event mentions (subject or data), for the no-partial-writes checks. */
  datasets: string[];
}

export interface CorpusOptions {
  seed: number;
  namespace: string;
  /** A dataset with a spec applied, so well-formed events get past the spec lookup into the handlers. */
  specDataset: string;
  /** The test's bucket: references into it point at objects that do not exist. */
  bucket: string;
  /** Largest body the NATS server takes (its max_payload); huge entries stay just under it. */
  maxPayload: number;
  /** Entries per subject and category; the corpus has 8 subjects × 11 categories × this, give or take. */
  perCategory?: number;
}

const encoder = new TextEncoder();
const SHA = "a".repeat(64);

// Strings that break naive handling: lone surrogates, NUL, bidi overrides, emoji, zero-width and combining marks.
const ODD_STRINGS = [
  "\ud800",
  "a\udfffb",
  "nul\u0000byte",
  "\u202eevil\u202c",
  "\u200f\u200erlm",
  "😀🔥",
  "zero\u200bwidth",
  "e\u0301\u0301\u0301",
  "ｆｕｌｌｗｉｄｔｈ",
  "\ufeffbom",
  "line\nbreak\r\n",
  "\u0085nel\u2028ls",
  "é".repeat(5000),
  "x".repeat(70_000),
];
const TRAVERSAL = ["../x", "a/b", "%2e%2e", "..%2f..%2fetc", "./.", "..\\..\\x", "/etc/passwd", "a/../../b", "..", "."];
const SQL = [
  "x'; drop table users; --",
  '"',
  "--",
  "a;b",
  "1 OR 1=1",
  "Robert'); DROP TABLE students;--",
  "x\\'",
  "$1",
  "a`b",
];
// Subject tokens may not hold ".", whitespace, "*" or ">": these travel in the subject itself.
const SUBJECT_TOKENS = [
  "a/b",
  "%2e%2e",
  "x';drop_table--",
  '"',
  "--",
  "UPPER",
  "😀",
  "\u202eltr",
  "ghost#1",
  "0starts-with-digit",
  "a".repeat(64),
];
const WRONG_VALUES: unknown[] = [123, "str", true, null, [], {}, -1, 1e308, "NaN", [1, "a"], { nested: { deep: 1 } }];

/** A well-formed event of the type, for the dataset, whose data names objects, batches and runs that do not exist. */
function wellFormed(type: ConsumedType, dataset: string, n: string, bucket: string): Record<string, unknown> {
  const time = "2026-01-01T00:00:00Z";
  const data = ((): Record<string, unknown> => {
    switch (type) {
      case "data.arrived":
        return { dataset, batchKey: `corpus-${n}`, format: "csv", ref: `s3://${bucket}/missing/corpus-${n}.csv` };
      case "data.ingested":
        return {
          batchId: `corpus-batch-${n}`,
          dataset,
          sha256: SHA,
          objectKey: `raw/${dataset}/missing-${n}.csv`,
          rowCount: 3,
          eventTimeMin: time,
          eventTimeMax: time,
          specRevision: 1,
          batchKey: `corpus-${n}`,
        };
      case "data.validated":
        return {
          batchId: `corpus-batch-${n}`,
          dataset,
          sha256: SHA,
          specRevision: 1,
          rowCount: 3,
          validRows: 3,
          invalidRows: 0,
          statistics: {},
          anomalies: [],
          rowsKey: `validated/${dataset}/missing-${n}.ndjson`,
        };
      case "features.updated":
        return {
          batchId: `corpus-batch-${n}`,
          dataset,
          rowsWritten: 3,
          watermark: time,
          specRevision: 1,
          labelledRows: 3,
        };
      case "drift.detected":
        return {
          dataset,
          kind: "data",
          features: [{ name: "temp_max", test: "ks", statistic: 0.9, pValue: 0.001, threshold: 0.05 }],
          correction: "none",
          share: 1,
          threshold: 0.5,
          reportKey: `drift/${dataset}/missing-${n}.json`,
          window: { source: "batches", rows: 100 },
          modelVersion: 41,
        };
      case "model.trained":
        return {
          runId: `corpus-run-${n}`,
          dataset,
          metrics: { accuracy: 0.99 },
          championMetrics: null,
          championVersion: null,
          artifactKey: `models/${dataset}/missing-${n}`,
          snapshot: { id: `snap-${n}`, batches: [{ batchId: `corpus-batch-${n}`, sha256: SHA }] },
          specRevision: 1,
          backend: "cpu",
          trigger: { reason: "manual", eventIds: [] },
        };
      case "model.promoted":
        return { dataset, version: 41, previousVersion: null, reason: "corpus", runId: `corpus-run-${n}` };
      case "predictions.logged":
        return {
          dataset,
          modelVersion: 41,
          role: "champion",
          records: [
            {
              requestId: `req-${n}`,
              inputs: { temp_max: 10, location: "Seattle" },
              outputs: { weather: "sun" },
              at: time,
            },
          ],
        };
    }
  })();
  return {
    specversion: "1.0",
    id: `corpus-event-${n}`,
    source: "/e2e/bad-input",
    type,
    time,
    datacontenttype: "application/json",
    data,
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** Every (object path, key) in the event, envelope and data, so a mutation can hit any of them. */
function paths(event: Record<string, unknown>): string[][] {
  const out: string[][] = Object.keys(event).map((key) => [key]);
  for (const key of Object.keys(event.data as object)) out.push(["data", key]);
  return out;
}

function setPath(event: Record<string, unknown>, path: string[], value: unknown, remove = false): void {
  let target = event as Record<string, unknown>;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path.at(-1) as string;
  if (remove) delete target[last];
  else target[last] = value;
}

const json = (value: unknown): Uint8Array => encoder.encode(JSON.stringify(value));

/**
 * The batch id a data.ingested body names, when it decodes (as the consumer decodes it, a BOM dropped) to an object
 * with one: validation may find such an event well-formed and answer data.rejected for that batch.
 */
function batchIdOf(body: Uint8Array): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body)) as {
      data?: { batchId?: unknown };
    };
    return typeof value?.data?.batchId === "string" ? value.data.batchId : undefined;
  } catch {
    return undefined;
  }
}

/** Builds the corpus: deterministic for a given seed and options. */
export function buildCorpus(options: CorpusOptions): CorpusEvent[] {
  const random = mulberry32(options.seed);
  const per = options.perCategory ?? 13;
  const { namespace, specDataset, bucket } = options;
  const entries: CorpusEvent[] = [];
  let counter = 0;

  for (const type of CONSUMED_TYPES) {
    const add = (
      category: Category,
      body: Uint8Array,
      extra: { subjectDataset?: string; datasets?: string[]; rejectableBatchId?: string } = {},
    ) => {
      const subjectDataset = extra.subjectDataset ?? specDataset;
      const rejectableBatchId = extra.rejectableBatchId ?? (type === "data.ingested" ? batchIdOf(body) : undefined);
      entries.push({
        msgId: `corpus-${options.seed}-${counter++}`,
        subject: `${namespace}.${type}.${subjectDataset}`,
        type,
        category,
        body,
        datasets: [subjectDataset, ...(extra.datasets ?? [])],
        ...(rejectableBatchId === undefined ? {} : { rejectableBatchId }),
      });
    };
    const base = () => wellFormed(type, specDataset, `${options.seed}-${counter}`, bucket);

    // Not JSON: empty, garbage, truncated, invalid UTF-8 (overlong "/" and a CESU-8 surrogate), trailing commas.
    const notJson: (() => Uint8Array)[] = [
      () => new Uint8Array(0),
      () => encoder.encode("not json"),
      () => encoder.encode("{"),
      () => {
        const text = JSON.stringify(base());
        return encoder.encode(text.slice(0, 1 + Math.floor(random() * (text.length - 2))));
      },
      () => Uint8Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.floor(random() * 256)),
      () => Uint8Array.from([0x7b, 0x22, 0xc0, 0xaf, 0x22, 0x3a, 0x31, 0x7d]),
      () => Uint8Array.from([...encoder.encode('{"id":"'), 0xed, 0xa0, 0x80, ...encoder.encode('"}')]),
      () => encoder.encode(`${JSON.stringify(base()).slice(0, -1)},}`),
      () => encoder.encode("NaN"),
      () => encoder.encode(`\ufeff${JSON.stringify(base())}`),
      () => encoder.encode(`${"[".repeat(5000)}${"]".repeat(5000)}`),
      () => encoder.encode("{'single': 'quotes'}"),
      () => encoder.encode(JSON.stringify(base()).replace(/"/g, "'")),
    ];
    for (let i = 0; i < per; i++) add("not-json", (notJson[i % notJson.length] as () => Uint8Array)());

    const shapes = ["[]", "[1,2]", "null", "true", "42", '"str"', "{}", '{"data":null}'];
    for (let i = 0; i < per; i++) {
      const shape = shapes[i % shapes.length] as string;
      add("wrong-shape", i === per - 1 ? json([base(), base()]) : encoder.encode(shape));
    }

    for (let i = 0; i < per; i++) {
      const event = base();
      const path = pick(random, paths(event));
      setPath(event, path, pick(random, WRONG_VALUES));
      add("wrong-type", json(event));
    }

    for (let i = 0; i < per; i++) {
      const event = base();
      setPath(event, pick(random, paths(event)), undefined, true);
      add("missing-field", json(event));
    }

    // Huge: just under max_payload (room for headers), and a middling one, in a string field and as an unknown key.
    const hugeSizes = [options.maxPayload - 4096, Math.floor(options.maxPayload / 2), 200_000];
    for (const [i, size] of hugeSizes.entries()) {
      const event = base();
      const filler = "h".repeat(size - JSON.stringify(event).length - 64);
      if (i === 0) (event.data as Record<string, unknown>).padding = filler;
      else if (i === 1) event.source = filler;
      else (event.data as Record<string, unknown>).dataset = filler;
      add("huge", json(event));
    }

    for (let i = 0; i < per; i++) {
      const event = base();
      const odd = ODD_STRINGS[i % ODD_STRINGS.length] as string;
      const target = pick(random, [["data", "dataset"], ["id"], ["source"], ["time"], ["subject"]]);
      // Ids stay distinct (source + id names one event: the same pair twice is a redelivery, rightly ignored).
      setPath(event, target, target[0] === "id" ? `${odd}${counter}` : odd);
      add("odd-unicode", json(event), { datasets: target[1] === "dataset" ? [odd] : [] });
    }

    for (let i = 0; i < per; i++) {
      const ghost = `ghost-${options.seed}-${i}`;
      add("unknown-dataset", json(wellFormed(type, ghost, `${options.seed}-${counter}`, bucket)), {
        subjectDataset: ghost,
      });
    }

    for (let i = 0; i < per; i++) {
      const event = base();
      const name = TRAVERSAL[i % TRAVERSAL.length] as string;
      const data = event.data as Record<string, unknown>;
      const keyField = ["ref", "objectKey", "rowsKey", "artifactKey", "reportKey"].find((key) => key in data);
      if (i % 3 === 0 || keyField === undefined) {
        data.dataset = name;
        add("path-traversal", json(event), { datasets: [name] });
      } else if (i % 3 === 1) {
        data[keyField] = keyField === "ref" ? `s3://${bucket}/${name}/x.csv` : `${name}/x`;
        add("path-traversal", json(event));
      } else {
        const token = pick(random, ["a/b", "%2e%2e", "%2e%2e%2f", "a\\b"]);
        data.dataset = token;
        add("path-traversal", json(event), { subjectDataset: token });
      }
    }

    for (let i = 0; i < per; i++) {
      const event = base();
      const sql = SQL[i % SQL.length] as string;
      const data = event.data as Record<string, unknown>;
      const idField = ["batchId", "runId", "batchKey"].find((key) => key in data);
      if (i % 3 === 0 || idField === undefined) {
        data.dataset = sql;
        add("sql-chars", json(event), { datasets: [sql] });
      } else if (i % 3 === 1) {
        data[idField] = sql;
        add("sql-chars", json(event));
      } else {
        const token = SUBJECT_TOKENS[i % SUBJECT_TOKENS.length] as string;
        data.dataset = token;
        add("sql-chars", json(event), { subjectDataset: token });
      }
    }

    // The right body on the wrong subject: another event type, another dataset, or a subject token that is no name.
    for (let i = 0; i < per; i++) {
      const other = CONSUMED_TYPES[
        (CONSUMED_TYPES.indexOf(type) + 1 + (i % 7)) % CONSUMED_TYPES.length
      ] as ConsumedType;
      if (i % 3 === 0) add("mismatch", json(wellFormed(other, specDataset, `${options.seed}-${counter}`, bucket)));
      else if (i % 3 === 1) {
        add("mismatch", json(base()), { subjectDataset: `elsewhere-${i}`, datasets: [`elsewhere-${i}`] });
      } else {
        const token = SUBJECT_TOKENS[i % SUBJECT_TOKENS.length] as string;
        add("mismatch", json(wellFormed(type, specDataset, `${options.seed}-${counter}`, bucket)), {
          subjectDataset: token,
        });
      }
    }

    // Well-formed, for the dataset with a spec, naming objects, batches, runs and versions that do not exist.
    for (let i = 0; i < per; i++) {
      const event = base();
      const data = event.data as Record<string, unknown>;
      if (type === "data.arrived" && i % 2 === 1) data.ref = `s3://no-such-bucket-${options.seed}/x-${i}.csv`;
      add("missing-object", json(event));
    }
  }
  return entries;
}

/** Entries per category, for the report. */
export function countByCategory(corpus: readonly CorpusEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of corpus) counts[entry.category] = (counts[entry.category] ?? 0) + 1;
  return counts;
}
