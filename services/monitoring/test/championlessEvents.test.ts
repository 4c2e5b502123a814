import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type HandlerContext, PermanentError } from "@gyre/bus";
import { newEvent } from "@gyre/contracts";
import { createLogger } from "@gyre/log";
import { trace } from "@opentelemetry/api";
import type { BatchHandlerDeps } from "../src/batchHandler.ts";
import type { Champions } from "../src/champions.ts";
import { predictionsHandler } from "../src/predictionsHandler.ts";
import { promotionHandler } from "../src/promotions.ts";
import type { RegistryClient } from "../src/registryClient.ts";

// A registry that has never heard of the dataset: the state a forged or misrouted event meets.
const noChampion = {
  current: async () => null,
  refresh: async () => null,
} as unknown as Champions;
const unreachable = new Proxy(
  {},
  {
    get: (_target, key) => {
      throw new Error(`the handler touched ${String(key)} before refusing the event`);
    },
  },
);
const log = createLogger({ service: "monitoring-test", level: "silent" });
const ctx = { span: trace.getTracer("test").startSpan("test") } as unknown as HandlerContext;

describe("monitoring refuses events about models the registry does not have", () => {
  test("model.promoted of a dataset without a champion is dead-lettered, and nothing is recorded", async () => {
    const handler = promotionHandler({
      pool: unreachable as never,
      log,
      champions: noChampion,
      registry: unreachable as RegistryClient,
    });
    const event = newEvent("model.promoted", "test", {
      dataset: "ghost",
      version: 41,
      previousVersion: null,
      reason: "forged",
      runId: "run-1",
    });
    await assert.rejects(Promise.resolve(handler(event, ctx)), (err: Error) => {
      assert.ok(err instanceof PermanentError);
      assert.match(err.message, /version 41 of dataset "ghost".*no champion/);
      return true;
    });
  });

  test("predictions.logged of a dataset without a champion is dead-lettered before any window write", async () => {
    const deps = { ...(unreachable as object), champions: noChampion } as unknown as BatchHandlerDeps;
    const handler = predictionsHandler(deps);
    const event = newEvent("predictions.logged", "test", {
      dataset: "ghost",
      modelVersion: 7,
      role: "champion",
      records: [{ requestId: "r1", inputs: { x: 1 }, outputs: { y: 1 }, at: "2026-01-01T00:00:00Z" }],
    });
    await assert.rejects(Promise.resolve(handler(event, ctx)), (err: Error) => {
      assert.ok(err instanceof PermanentError);
      assert.match(err.message, /dataset "ghost" model version 7: the registry has no champion/);
      return true;
    });
  });
});
