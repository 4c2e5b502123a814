import type { TestContext } from "node:test";
import { newCloudEvent } from "@gyre/contracts";
import { infraFromEnv, uniqueId } from "@gyre/testkit";
import { type Bus, type BusOptions, type BusStatusEvent, connectBus, deleteStreams } from "../src/index.ts";

/** One namespace per test file; every bus opened through it is closed and the streams deleted by `cleanup`. */
export class BusHarness {
  readonly namespace = uniqueId("bus");
  readonly statusEvents: BusStatusEvent[] = [];
  readonly #buses: Bus[] = [];

  async open(name = "test", extra: Partial<BusOptions> = {}): Promise<Bus> {
    const bus = await connectBus({
      servers: infraFromEnv().natsUrl,
      namespace: this.namespace,
      name: `${this.namespace}-${name}`,
      onStatus: (event) => this.statusEvents.push(event),
      closeTimeoutMs: 2000,
      ...extra,
    });
    this.#buses.push(bus);
    return bus;
  }

  /** Closes every bus (draining its consumers), deleting the namespace's streams through the last one open. */
  async cleanup(): Promise<void> {
    const [first, ...others] = this.#buses;
    for (const bus of others) await bus.close();
    if (!first) return;
    try {
      if (!first.connection.isClosed()) await deleteStreams(first);
    } finally {
      await first.close();
    }
  }
}

/** A namespace of its own for one test, cleaned up when the test ends. */
export async function busForTest(t: TestContext, name = "test"): Promise<{ harness: BusHarness; bus: Bus }> {
  const harness = new BusHarness();
  t.after(() => harness.cleanup());
  return { harness, bus: await harness.open(name) };
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A valid `data.arrived` event for `dataset`; the batch key also serves as the event id. */
export function arrivedEvent(dataset: string, batchKey: string) {
  return newCloudEvent(
    "data.arrived",
    "bus-test",
    { dataset, batchKey, format: "json", rows: [{ batch: batchKey }] },
    { id: batchKey },
  );
}

/** A valid `features.updated` event for `dataset`. */
export function featuresUpdatedEvent(dataset: string, batchId: string) {
  const data = {
    batchId,
    dataset,
    rowsWritten: 10,
    labelledRows: 10,
    watermark: "2024-05-01T00:00:00Z",
    specRevision: 1,
  };
  return newCloudEvent("features.updated", "bus-test", data, { id: `features-${batchId}` });
}
