import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ModelInferRequest } from "@gyre/grpc";
import type { FeatureRow } from "@gyre/model";
import { natsServerBinary, PrivateNatsServer } from "../../../libs/bus/test/private-server.ts";
import { seattleWeatherRows, seattleWeatherSpec } from "../../trainer/test/seattle-weather.ts";
import { infer, metricValue, poll, ServingHarness, type ServingProcess, scrape } from "./harness.ts";

const INPUTS = ["precipitation", "temp_max", "temp_min", "wind", "month", "temp_max_lag1", "precipitation_mean_7"];
const binary = natsServerBinary();
const harness = new ServingHarness();
let nats: PrivateNatsServer;
let serving: ServingProcess;

function request(row: FeatureRow): ModelInferRequest {
  return {
    model_name: "seattle-weather",
    inputs: INPUTS.map((name) => ({
      name,
      datatype: "FP64",
      shape: [1],
      contents: { fp64_contents: [row[name] as number] },
    })),
  };
}

async function counter(name: string): Promise<number> {
  return metricValue(await scrape(serving.metricsPort), name);
}

describe("serving: NATS outage", {
  timeout: 120_000,
  skip: binary ? false : "no nats-server binary (set NATS_SERVER_BIN)",
}, () => {
  before(async () => {
    await harness.start([seattleWeatherSpec()]);
    await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), { seed: 31, outcome: "promoted" });
    // Serving gets a NATS of its own that the test can stop; the registry stays on the shared one.
    nats = await PrivateNatsServer.start(binary as string);
    serving = await harness.startServing({ NATS_URL: nats.url, SERVING_LOG_SAMPLE_RATE: "1" });
  });
  after(async () => {
    await harness.cleanup();
    await nats?.destroy();
  });

  it("keeps answering while NATS is down, counts the prediction logs it drops, and publishes again after", async () => {
    const rows = seattleWeatherRows().slice(300, 400);
    for (const row of rows.slice(0, 10)) await infer(serving.client, request(row));
    await poll("logs published before the outage", 10_000, async () =>
      (await counter("gyre_serving_prediction_logs_published_total")) >= 10 ? true : undefined,
    );

    await nats.halt();
    const during = await Promise.all(rows.map((row) => infer(serving.client, request(row))));
    assert.equal(during.length, rows.length);
    assert.ok(during.every((response) => response.model_version === "1" && response.outputs.length === 2));
    const dropped = await poll("dropped prediction logs counted", 30_000, async () => {
      const value = await counter("gyre_serving_prediction_logs_dropped_total");
      return value >= rows.length ? value : undefined;
    });
    assert.ok(dropped >= rows.length);
    await infer(serving.client, request(rows[0] as FeatureRow));
    assert.equal(serving.service.process.exitCode, null);

    await nats.resume();
    const publishedBefore = await counter("gyre_serving_prediction_logs_published_total");
    await poll("publishing after NATS is back", 30_000, async () => {
      await infer(serving.client, request(rows[1] as FeatureRow));
      return (await counter("gyre_serving_prediction_logs_published_total")) > publishedBefore ? true : undefined;
    });
  });
});
