/**
 * What must hold once the stream has drained: every sent row is in the feature store exactly once (checked in its
 * offline table by date, the rows' identity), every durable consumer has nothing pending or unacknowledged, and the
 * DLQ holds nothing.
 */
import { type Bus, readDlq } from "@gyre/bus";
import { SERVICES } from "@gyre/service";
import pg from "pg";

export interface StoreCount {
  stored: number;
  distinct: number;
  duplicates: number;
  lost: number;
  /** Rows whose date was never sent. */
  unexpected: number;
}

/** Rows of the dataset's offline table compared with the dates sent. A missing table counts as nothing stored. */
export async function countStoredRows(
  databaseUrl: string,
  schema: string,
  table: string,
  sentDates: ReadonlySet<string>,
): Promise<StoreCount> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass($1) AS name", [`"${schema}"."${table}"`]);
    if (!exists.rows[0]?.name) return { stored: 0, distinct: 0, duplicates: 0, lost: sentDates.size, unexpected: 0 };
    const { rows } = await client.query<{ day: string; copies: string }>(
      `SELECT to_char(date AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS copies FROM "${schema}"."${table}" GROUP BY 1`,
    );
    let stored = 0;
    let unexpected = 0;
    let found = 0;
    for (const row of rows) {
      const copies = Number(row.copies);
      stored += copies;
      if (sentDates.has(row.day)) found++;
      else unexpected += copies;
    }
    return {
      stored,
      distinct: rows.length,
      duplicates: stored - rows.length,
      lost: sentDates.size - found,
      unexpected,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface ConsumerBacklog {
  durable: string;
  pending: number;
  ackPending: number;
  redelivered: number;
}

/** Every durable on the namespace's event stream, with what it has not yet been given or not yet acknowledged. */
export async function consumerBacklogs(bus: Bus): Promise<ConsumerBacklog[]> {
  const backlogs: ConsumerBacklog[] = [];
  for await (const info of bus.manager.consumers.list(bus.streams.events)) {
    backlogs.push({
      durable: info.config.durable_name ?? info.name,
      pending: info.num_pending,
      ackPending: info.num_ack_pending,
      redelivered: info.num_redelivered,
    });
  }
  return backlogs.sort((a, b) => a.durable.localeCompare(b.durable));
}

export interface DlqEntry {
  service: string;
  kind: string;
  reason: string;
  subject: string;
}

/** Every dead letter of every service in the namespace. */
export async function deadLetters(bus: Bus): Promise<DlqEntry[]> {
  const entries: DlqEntry[] = [];
  for (const service of SERVICES) {
    for (const letter of await readDlq(bus, service, { max: 1000 })) {
      entries.push({ service, kind: letter.kind, reason: letter.reason, subject: letter.originalSubject });
    }
  }
  return entries;
}
