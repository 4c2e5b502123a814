import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { ModelMetadataResponse__Output } from "@gyre/grpc";
import { protoPath as healthProtoPath } from "grpc-health-check";
import {
  infer,
  inferenceClient,
  mixedRows,
  mixedSpec,
  ServingHarness,
  type ServingProcess,
  unary,
} from "../../services/serving/test/harness.ts";
import { asRaw, type BadInferCall, buildInferCorpus, type ServedInput, validRequest } from "./infer-corpus.ts";

const MODEL = "weather-mixed";
const MAX_MESSAGE_BYTES = 64 * 1024;
const SEED = 424242;
const IN_FLIGHT = 32;

describe("bad ModelInfer calls: each gets a clear error status and serving stays up", () => {
  const harness = new ServingHarness();
  let serving: ServingProcess;
  let inputs: ServedInput[] = [];
  let corpus: BadInferCall[] = [];
  const answers: { call: BadInferCall; code: number; details: string }[] = [];
  let elapsedMs = 0;

  before(async () => {
    await harness.start([mixedSpec(MODEL)]);
    await harness.trainAndRegister(mixedSpec(MODEL), mixedRows(), { seed: 3, epochs: 1, outcome: "promoted" });
    serving = await harness.startServing({
      SERVING_MAX_MESSAGE_BYTES: String(MAX_MESSAGE_BYTES),
      SERVING_LOG_SAMPLE_RATE: "0",
    });
    await harness.until("the champion to be served", 30_000, async () => {
      const ready = await unary<{ ready: boolean }>(serving.client, "ModelReady", { name: MODEL, version: "" });
      return ready.ready ? true : undefined;
    });
    const metadata = await unary<ModelMetadataResponse__Output>(serving.client, "ModelMetadata", {
      name: MODEL,
      version: "",
    });
    inputs = metadata.inputs.map((input) => ({
      name: input.name,
      datatype: input.datatype,
      role: input.parameters?.role?.string_param ?? "required",
    }));
    corpus = buildInferCorpus({ seed: SEED, model: MODEL, inputs, maxMessageBytes: MAX_MESSAGE_BYTES });

    // The client may send more than the server takes, so the server's limit is what answers.
    const client = inferenceClient(`127.0.0.1:${serving.port}`, grpc.credentials.createInsecure(), {
      "grpc.max_send_message_length": 64 * 1024 * 1024,
    });
    harness.clients.push(client);
    const started = performance.now();
    let next = 0;
    const worker = async () => {
      while (next < corpus.length) {
        const call = corpus[next++] as BadInferCall;
        try {
          await infer(client, call.request, { deadline: Date.now() + 20_000 });
          answers.push({ call, code: grpc.status.OK, details: "" });
        } catch (error) {
          const { code, details } = error as grpc.ServiceError;
          answers.push({ call, code, details });
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    elapsedMs = performance.now() - started;
  });
  after(() => harness.cleanup());

  it("sends at least 1,000 malformed calls and checks that a valid call succeeds before and after them", async () => {
    assert.ok(corpus.length >= 1000, `corpus has ${corpus.length} calls`);
    const ok = await infer(serving.client, validRequest(MODEL, inputs, 3));
    assert.equal(ok.outputs.length, 2);
    const raw = await infer(serving.client, asRaw(validRequest(MODEL, inputs, 2, 7)));
    assert.equal(raw.raw_output_contents.length, 2);
  });

  it("answers every malformed call with an expected error status, never OK, INTERNAL or UNKNOWN", () => {
    const distribution: Record<string, Record<string, number>> = {};
    const wrong: string[] = [];
    for (const { call, code, details } of answers) {
      const name = grpc.status[code] ?? String(code);
      distribution[call.category] ??= {};
      (distribution[call.category] as Record<string, number>)[name] =
        ((distribution[call.category] as Record<string, number>)[name] ?? 0) + 1;
      if (!call.codes.includes(code)) {
        const request = JSON.stringify(call.request, (_key, value) =>
          typeof value === "string" && value.length > 80 ? `${value.slice(0, 80)}…` : value,
        );
        wrong.push(`${call.category}: ${name} ${details.slice(0, 200)} for ${request.slice(0, 400)}`);
      }
      if (code !== grpc.status.OK) assert.ok(details.length > 0, `${call.category}: ${name} without a message`);
    }
    console.log(
      `ModelInfer: ${answers.length} bad calls in ${Math.round(elapsedMs)} ms: ${JSON.stringify(distribution)}`,
    );
    assert.equal(answers.length, corpus.length);
    assert.equal(wrong.length, 0, `${wrong.length} calls got an unexpected status:\n${wrong.slice(0, 15).join("\n")}`);
  });

  it("keeps the server up: process running, health SERVING", async () => {
    assert.equal(serving.service.process.exitCode, null);
    assert.equal(serving.service.process.signalCode, null);
    assert.deepEqual(await unary(serving.client, "ServerLive", {}), { live: true });
    assert.deepEqual(await unary(serving.client, "ServerReady", {}), { ready: true });
    assert.deepEqual(await unary(serving.client, "ModelReady", { name: MODEL, version: "" }), { ready: true });
    const health = grpc.loadPackageDefinition(protoLoader.loadSync(healthProtoPath, { enums: String })) as unknown as {
      grpc: { health: { v1: { Health: new (address: string, credentials: grpc.ChannelCredentials) => grpc.Client } } };
    };
    const healthClient = new health.grpc.health.v1.Health(
      `127.0.0.1:${serving.port}`,
      grpc.credentials.createInsecure(),
    );
    harness.clients.push(healthClient);
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) =>
        (
          healthClient as unknown as {
            Check: (request: unknown, callback: (error: Error | null, response: { status: string }) => void) => void;
          }
        ).Check({ service }, (error, response) => (error ? reject(error) : resolve(response))),
      );
    assert.equal((await check("")).status, "SERVING");
    assert.equal((await check(MODEL)).status, "SERVING");
    // And a valid call still succeeds after the corpus.
    const ok = await infer(serving.client, validRequest(MODEL, inputs, 2, 9));
    assert.equal(ok.model_name, MODEL);
  });
});
