import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { InferenceClient, ModelInferRequest } from "@gyre/grpc";
import { type FeatureRow, predict } from "@gyre/model";
import { seattleWeatherRows, seattleWeatherSpec } from "../../trainer/test/seattle-weather.ts";
import { infer, metricValue, type RegisteredModel, ServingHarness, type ServingProcess, scrape } from "./harness.ts";

const SEATTLE = "seattle-weather";
const INPUTS = ["precipitation", "temp_max", "temp_min", "wind", "month", "temp_max_lag1", "precipitation_mean_7"];
const rows = seattleWeatherRows().slice(300, 500);

const harness = new ServingHarness();
let v1: RegisteredModel;
let v2: RegisteredModel;
let serving: ServingProcess;

function request(id: string, batch: readonly FeatureRow[]): ModelInferRequest {
  return {
    model_name: SEATTLE,
    id,
    inputs: INPUTS.map((name) => ({
      name,
      datatype: "FP64",
      shape: [batch.length],
      contents: { fp64_contents: batch.map((row) => row[name] as number) },
    })),
  };
}

/** `count` requests of one row each, `concurrency` at a time; resolves with the answering versions. */
async function send(client: InferenceClient, prefix: string, count: number, concurrency: number): Promise<string[]> {
  const versions: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const index = next++;
        const response = await infer(client, request(`${prefix}-${index}`, [rows[index % rows.length] as FeatureRow]));
        versions.push(response.model_version);
      }
    }),
  );
  return versions;
}

function probabilities(model: RegisteredModel, batch: readonly FeatureRow[]): number[] {
  const predictions = predict(model.bundle, batch);
  return predictions.kind === "classification" ? Array.from(predictions.probabilities) : [];
}

describe("serving: prediction logging, canary and shadow", { timeout: 150_000 }, () => {
  before(async () => {
    await harness.start([{ ...seattleWeatherSpec(), name: SEATTLE }]);
    v1 = await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), { seed: 21, outcome: "promoted" });
    v2 = await harness.trainAndRegister(seattleWeatherSpec(), seattleWeatherRows(), {
      seed: 22,
      outcome: "rejected",
      championVersion: v1.version,
    });
    serving = await harness.startServing({ SERVING_LOG_SAMPLE_RATE: "1" });
  });
  after(() => harness.cleanup());

  it("publishes sampled requests to predictions.logged with inputs, outputs, model version and role", async () => {
    const batch = rows.slice(0, 2);
    await infer(serving.client, request("log-1", batch));
    const logged = await harness.until("the logged request", 15_000, () =>
      harness.predictionLogs.find((event) => event.data.records.some((record) => record.requestId === "log-1.0")),
    );
    assert.equal(logged.data.dataset, SEATTLE);
    assert.equal(logged.data.modelVersion, v1.version);
    assert.equal(logged.data.role, "champion");
    const records = logged.data.records.filter((record) => record.requestId.startsWith("log-1."));
    assert.deepEqual(
      records.map((record) => record.requestId),
      ["log-1.0", "log-1.1"],
    );
    const expected = probabilities(v1, batch);
    records.forEach((record, row) => {
      assert.deepEqual(record.inputs, Object.fromEntries(INPUTS.map((name) => [name, batch[row]?.[name]])));
      assert.deepEqual(record.outputs.probabilities, expected.slice(row * 5, row * 5 + 5));
      assert.equal(typeof record.outputs.label, "string");
    });
  });

  it("answers the configured canary share from the challenger, within 5 points over 2000 requests", async () => {
    await harness.routing.set(SEATTLE, { canaryShare: 0.3 });
    await serving.service.waitForLog(
      (line) => line.event === "model.loaded" && line.role === "challenger" && line.modelVersion === v2.version,
    );
    const versions = await send(serving.client, "canary", 2000, 40);
    const share = versions.filter((version) => version === String(v2.version)).length / versions.length;
    assert.ok(Math.abs(share - 0.3) <= 0.05, `challenger share ${share.toFixed(3)} for a configured 0.3`);
    assert.ok(versions.every((version) => version === String(v1.version) || version === String(v2.version)));

    const answer = await (async () => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const response = await infer(serving.client, request(`canary-check-${attempt}`, rows.slice(0, 3)));
        if (response.model_version === String(v2.version)) return response;
      }
      throw new Error("no canary answer in 100 requests");
    })();
    assert.deepEqual(answer.outputs[0]?.contents?.fp32_contents, probabilities(v2, rows.slice(0, 3)));
    const metrics = await scrape(serving.metricsPort);
    assert.equal(metricValue(metrics, "gyre_serving_canary_share", { dataset: SEATTLE }), 0.3);
    assert.ok(metricValue(metrics, "gyre_serving_routed_requests_total", { dataset: SEATTLE, role: "canary" }) >= 500);
    await harness.until("canary records", 15_000, () =>
      harness.predictionLogs.find((event) => event.data.role === "canary" && event.data.modelVersion === v2.version),
    );
  });

  it("mirrors requests to the shadow challenger, logs its answers and never returns them", async () => {
    await harness.routing.set(SEATTLE, { shadow: true, canaryShare: 0 });
    await serving.service.waitForLog((line) => line.event === "routing.changed" && line.shadow === true);
    const versions = await send(serving.client, "shadow", 200, 20);
    assert.deepEqual(new Set(versions), new Set([String(v1.version)]), "clients only ever get the champion's answers");

    const shadowRecords = await harness.until("shadow records of all 200 requests", 20_000, () => {
      const records = harness.predictionLogs
        .filter((event) => event.data.role === "shadow")
        .flatMap((event) => event.data.records.map((record) => ({ ...record, modelVersion: event.data.modelVersion })))
        .filter((record) => record.requestId.startsWith("shadow-"));
      return records.length >= 200 ? records : undefined;
    });
    for (const record of shadowRecords.slice(0, 20)) {
      assert.equal(record.modelVersion, v2.version);
      const index = Number(record.requestId.split("-")[1]);
      assert.deepEqual(record.outputs.probabilities, probabilities(v2, [rows[index % rows.length] as FeatureRow]));
    }
    const metrics = await scrape(serving.metricsPort);
    assert.equal(metricValue(metrics, "gyre_serving_shadow_enabled", { dataset: SEATTLE }), 1);
    const agreed = metricValue(metrics, "gyre_serving_shadow_rows_total", { dataset: SEATTLE, agreement: "agree" });
    const disagreed = metricValue(metrics, "gyre_serving_shadow_rows_total", {
      dataset: SEATTLE,
      agreement: "disagree",
    });
    assert.equal(agreed + disagreed, 200);
    const ratio = metricValue(metrics, "gyre_serving_shadow_agreement_ratio", { dataset: SEATTLE });
    assert.ok(Math.abs(ratio - agreed / 200) < 1e-9, `agreement ratio ${ratio}`);
  });
});
