import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@gyre/log";
import pg from "pg";

/** The first key of every trainer lock: keeps them apart from other advisory locks in the database (migrations). */
const LOCK_SPACE = "gyre-trainer";
const POLL_MS = 500;

export class LockLostError extends Error {
  override name = "LockLostError";
  constructor(
    readonly dataset: string,
    options?: ErrorOptions,
  ) {
    super(`the training lock of dataset "${dataset}" was lost (its PostgreSQL session ended) during the run`, options);
  }
}

export class DatasetBusyError extends Error {
  override name = "DatasetBusyError";
  constructor(
    readonly dataset: string,
    waitedMs: number,
  ) {
    super(`dataset "${dataset}" is training and stayed busy for ${Math.round(waitedMs / 1000)} s; try again later`);
  }
}

/**
 * Mutual exclusion of the trainings of one dataset, across processes and replicas: a PostgreSQL session-level
 * advisory lock, `pg_try_advisory_lock(hashtext('gyre-trainer'), hashtext('<namespace>/<dataset>'))`, held on a
 * connection of its own for as long as the run (and its follow-ups) last. PostgreSQL grants it to one session at a
 * time; when the holder's process dies, its connection closes and PostgreSQL releases the lock with it, so a dead
 * trainer never blocks a dataset. Two datasets whose keys collide (hashtext is 32 bits) only wait for each other.
 */
export class DatasetLock {
  private constructor(
    private readonly client: pg.Client,
    readonly dataset: string,
    private readonly key: string,
    private lost: Error | null,
  ) {}

  /** The lock if it is free now; null when another session holds it. */
  static async tryAcquire(connectionString: string, namespace: string, dataset: string, log: Logger) {
    const lock = await DatasetLock.connect(connectionString, namespace, dataset, log);
    if (await lock.try()) return lock;
    await lock.close();
    return null;
  }

  /** Waits up to `timeoutMs` for the lock; DatasetBusyError when it stays taken. */
  static async acquire(
    connectionString: string,
    namespace: string,
    dataset: string,
    log: Logger,
    timeoutMs: number,
  ): Promise<DatasetLock> {
    const lock = await DatasetLock.connect(connectionString, namespace, dataset, log);
    const started = performance.now();
    try {
      while (!(await lock.try())) {
        if (performance.now() - started >= timeoutMs) throw new DatasetBusyError(dataset, timeoutMs);
        await sleep(POLL_MS);
      }
      return lock;
    } catch (error) {
      await lock.close();
      throw error;
    }
  }

  private static async connect(connectionString: string, namespace: string, dataset: string, log: Logger) {
    const client = new pg.Client({ connectionString, application_name: "gyre-trainer-lock" });
    const lock = new DatasetLock(client, dataset, `${namespace}/${dataset}`, null);
    client.on("error", (error) => {
      lock.lost = error;
      log.warn({ err: error, event: "lock.connection_error", dataset }, "training lock connection failed");
    });
    await client.connect();
    return lock;
  }

  private async try(): Promise<boolean> {
    const { rows } = await this.client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS locked",
      [LOCK_SPACE, this.key],
    );
    return rows[0]?.locked === true;
  }

  /** Throws LockLostError unless the lock's session is alive (and so still holds it). Call before committing. */
  async assertHeld(): Promise<void> {
    if (this.lost) throw new LockLostError(this.dataset, { cause: this.lost });
    try {
      const { rows } = await this.client.query<{ held: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid()
           AND classid::int = hashtext($1) AND objid::int = hashtext($2) AND objsubid = 2) AS held`,
        [LOCK_SPACE, this.key],
      );
      if (rows[0]?.held !== true) throw new Error("pg_locks lists no such lock for this session");
    } catch (error) {
      throw new LockLostError(this.dataset, { cause: error });
    }
  }

  /** Unlocks and closes the connection; closing alone would release the lock too, so errors here are harmless. */
  async release(): Promise<void> {
    try {
      if (!this.lost) {
        await this.client.query("SELECT pg_advisory_unlock(hashtext($1), hashtext($2))", [LOCK_SPACE, this.key]);
      }
    } catch {
      // the session is gone, and the lock with it
    }
    await this.close();
  }

  private async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
