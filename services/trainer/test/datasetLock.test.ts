import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { createLogger } from "@gyre/log";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import pg from "pg";
import { DatasetBusyError, DatasetLock, LockLostError } from "../src/datasetLock.ts";

describe("dataset lock: one training per dataset across processes (PostgreSQL advisory lock)", () => {
  const { databaseUrl } = infraFromEnv();
  const namespace = uniqueId("lock");
  const log = createLogger({ service: "trainer-test", level: "silent" });
  const admin = new pg.Client({ connectionString: databaseUrl });
  const held: DatasetLock[] = [];
  const take = async (dataset: string) => {
    const lock = await DatasetLock.tryAcquire(databaseUrl, namespace, dataset, log);
    if (lock) held.push(lock);
    return lock;
  };

  after(async () => {
    await Promise.all(held.map((lock) => lock.release()));
    await admin.end().catch(() => undefined);
  });

  it("grants a dataset's lock to one session at a time, and other datasets' locks independently", async () => {
    const first = await take("weather");
    assert.ok(first);
    assert.equal(await take("weather"), null);
    assert.ok(await take("traffic"));
    await first.assertHeld();
    await first.release();
    assert.ok(await take("weather"), "free again after release");
  });

  it("keeps namespaces apart: the same dataset in another namespace is another lock", async () => {
    const here = await take("shared");
    const there = await DatasetLock.tryAcquire(databaseUrl, `${namespace}x`, "shared", log);
    assert.ok(here && there);
    await there.release();
  });

  it("is released by PostgreSQL when the holder's session dies, and the holder then knows it lost it", async () => {
    const lock = await take("crashy");
    assert.ok(lock);
    await admin.connect();
    const { rows } = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid::int = hashtext('gyre-trainer')
         AND objid::int = hashtext($1)`,
      [`${namespace}/crashy`],
    );
    assert.equal(rows.length, 1);
    await admin.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
    await assert.rejects(() => lock.assertHeld(), LockLostError);
    // pg_terminate_backend signals the backend and returns; the lock goes when the backend has exited.
    let taken = await take("crashy");
    for (let attempt = 0; !taken && attempt < 50; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      taken = await take("crashy");
    }
    assert.ok(taken, "another session takes it over");
  });

  it("waits for a busy dataset up to a timeout, then says it is busy", async () => {
    assert.ok(await take("busy"));
    const started = performance.now();
    await assert.rejects(
      () => DatasetLock.acquire(databaseUrl, namespace, "busy", log, 1200),
      (error: Error) => error instanceof DatasetBusyError && /dataset "busy" is training/.test(error.message),
    );
    assert.ok(performance.now() - started >= 1000);
  });
});
