import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { service as healthService } from "grpc-health-check";
import {
  createGrpcServer,
  DEFAULT_MAX_RECEIVE_BYTES,
  type GrpcServer,
  GrpcStatus,
  grpcError,
  type InferenceClient,
  type InferenceHandlers,
  InvalidGrpcOptionError,
  listen,
  loadProto,
  type ModelInferRequest,
  type ModelInferResponse__Output,
  PROTO_LOADER_OPTIONS,
  ProtoNotFoundError,
  type ProtoPath,
  servicesOf,
  shutdown,
} from "../src/index.ts";

const INFERENCE = "inference.GRPCInferenceService";

const inferenceHandlers: InferenceHandlers = {
  ServerLive: (_call, callback) => callback(null, { live: true }),
  ServerReady: (_call, callback) => callback(null, { ready: false }),
  ModelReady: (call, callback) =>
    callback(grpcError(GrpcStatus.NOT_FOUND, `model ${JSON.stringify(call.request.name)}: not loaded`)),
  ServerMetadata: (_call, callback) => callback(null, { name: "gyre-test", version: "0", extensions: [] }),
  ModelMetadata: (_call, callback) => callback(grpcError(GrpcStatus.UNIMPLEMENTED, "ModelMetadata: not in this test")),
  ModelInfer: ({ request }, callback) =>
    callback(null, {
      model_name: request.model_name,
      id: request.id,
      outputs: request.inputs.map(({ name, datatype, shape }) => ({ name, datatype, shape })),
    }),
};

type Unary<Req, Res> = (request: Req, callback: (error: grpc.ServiceError | null, response?: Res) => void) => void;

function unary<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, (error, response) => (error ? reject(error) : resolve(response as Res)));
  });
}

interface HealthClient extends grpc.Client {
  Check: Unary<{ service: string }, { status: string }>;
  Watch(request: { service: string }): grpc.ClientReadableStream<{ status: string }>;
}

const reflectionProto = join(
  dirname(createRequire(import.meta.url).resolve("@grpc/reflection")),
  "../proto/grpc/reflection/v1/reflection.proto",
);

/** Asks the server's reflection service for its service names (ServerReflectionInfo with list_services). */
function listServices(address: string): Promise<string[]> {
  const definition = protoLoader.loadSync(reflectionProto, { ...PROTO_LOADER_OPTIONS, includeDirs: [] });
  const Reflection = (
    grpc.loadPackageDefinition(definition) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: grpc.ServiceClientConstructor } } };
    }
  ).grpc.reflection.v1.ServerReflection;
  const client = new Reflection(address, grpc.credentials.createInsecure());
  return new Promise((resolve, reject) => {
    const stream = (
      client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<object, unknown> }
    ).ServerReflectionInfo();
    stream.on("data", (response: { list_services_response?: { service: { name: string }[] } }) => {
      resolve((response.list_services_response?.service ?? []).map((entry) => entry.name));
      stream.end();
      client.close();
    });
    stream.on("error", reject);
    stream.write({ list_services: "" });
  });
}

describe("a gRPC server with the inference service", () => {
  let grpcServer: GrpcServer;
  let address: string;
  let inference: InferenceClient;
  let health: HealthClient;

  before(async () => {
    grpcServer = createGrpcServer({ protos: ["inference/grpc_predict_v2.proto"], maxMessageBytes: 64 * 1024 });
    const proto = loadProto("inference/grpc_predict_v2.proto");
    grpcServer.server.addService(proto.inference.GRPCInferenceService.service, inferenceHandlers);
    const port = await listen(grpcServer.server, "127.0.0.1", 0);
    address = `127.0.0.1:${port}`;
    inference = new proto.inference.GRPCInferenceService(address, grpc.credentials.createInsecure());
    const Health = grpc.makeGenericClientConstructor(healthService, "Health");
    health = new Health(address, grpc.credentials.createInsecure()) as unknown as HealthClient;
  });

  after(async () => {
    inference.close();
    health.close();
    await shutdown(grpcServer, 1000);
  });

  test("answers ServerLive and ServerReady from the registered implementation", async () => {
    assert.deepEqual(await unary(inference.ServerLive.bind(inference), {}), { live: true });
    assert.deepEqual(await unary(inference.ServerReady.bind(inference), {}), { ready: false });
  });

  test("a handler's grpcError reaches the client with its code and message", async () => {
    await assert.rejects(unary(inference.ModelReady.bind(inference), { name: "weather" }), {
      code: GrpcStatus.NOT_FOUND,
      details: 'model "weather": not loaded',
    });
  });

  test("int64 shapes arrive as strings and unset fields as defaults, as PROTO_LOADER_OPTIONS says", async () => {
    const echo = await unary<ModelInferRequest, ModelInferResponse__Output>(inference.ModelInfer.bind(inference), {
      model_name: "weather",
      id: "r1",
      inputs: [{ name: "x", datatype: "FP32", shape: [1, 2] }],
    });
    assert.equal(echo.model_name, "weather");
    assert.equal(echo.model_version, "");
    assert.deepEqual(
      echo.outputs.map(({ name, shape }) => ({ name, shape })),
      [{ name: "x", shape: ["1", "2"] }],
    );
  });

  test("refuses a request larger than maxMessageBytes with RESOURCE_EXHAUSTED", async () => {
    const tooBig = { model_name: "weather", raw_input_contents: [Buffer.alloc(65 * 1024)] };
    await assert.rejects(unary(inference.ModelInfer.bind(inference), tooBig), {
      code: GrpcStatus.RESOURCE_EXHAUSTED,
    });
  });

  test("grpc.health.v1 Check answers SERVING for the server and for the inference service", async () => {
    assert.deepEqual(await unary(health.Check.bind(health), { service: "" }), { status: "SERVING" });
    assert.deepEqual(await unary(health.Check.bind(health), { service: INFERENCE }), { status: "SERVING" });
  });

  test("grpc.health.v1 Check follows setServingStatus and answers NOT_FOUND for an unknown service", async () => {
    grpcServer.setServingStatus(INFERENCE, "NOT_SERVING");
    assert.deepEqual(await unary(health.Check.bind(health), { service: INFERENCE }), { status: "NOT_SERVING" });
    grpcServer.setServingStatus(INFERENCE, "SERVING");
    assert.deepEqual(await unary(health.Check.bind(health), { service: INFERENCE }), { status: "SERVING" });
    await assert.rejects(unary(health.Check.bind(health), { service: "nope.Service" }), {
      code: GrpcStatus.NOT_FOUND,
    });
  });

  test("server reflection lists the inference and health services", async () => {
    const names = await listServices(address);
    assert.ok(names.includes(INFERENCE), `reflection lists ${JSON.stringify(names)}`);
    assert.ok(names.includes("grpc.health.v1.Health"), `reflection lists ${JSON.stringify(names)}`);
  });
});

describe("a gRPC server created without maxMessageBytes", () => {
  test("still refuses a request over DEFAULT_MAX_RECEIVE_BYTES with RESOURCE_EXHAUSTED, and stays up", async () => {
    const grpcServer = createGrpcServer();
    const address = `127.0.0.1:${await listen(grpcServer.server, "127.0.0.1", 0)}`;
    const Health = grpc.makeGenericClientConstructor(healthService, "Health");
    const health = new Health(address, grpc.credentials.createInsecure(), {
      "grpc.max_send_message_length": 2 * DEFAULT_MAX_RECEIVE_BYTES,
    }) as unknown as HealthClient;
    try {
      await assert.rejects(unary(health.Check.bind(health), { service: "x".repeat(DEFAULT_MAX_RECEIVE_BYTES + 1) }), {
        code: GrpcStatus.RESOURCE_EXHAUSTED,
      });
      assert.deepEqual(await unary(health.Check.bind(health), { service: "" }), { status: "SERVING" });
    } finally {
      health.close();
      await shutdown(grpcServer, 100);
    }
  });
});

describe("shutdown", () => {
  test("pushes NOT_SERVING to health watchers, then cancels what is left after the grace period", async () => {
    const grpcServer = createGrpcServer({ protos: ["inference/grpc_predict_v2.proto"] });
    const address = `127.0.0.1:${await listen(grpcServer.server, "127.0.0.1", 0)}`;
    const Health = grpc.makeGenericClientConstructor(healthService, "Health");
    const health = new Health(address, grpc.credentials.createInsecure()) as unknown as HealthClient;

    const watch = health.Watch({ service: INFERENCE });
    const seen: string[] = [];
    const ended = new Promise<number>((resolve) =>
      watch.on("error", (error: grpc.ServiceError) => resolve(error.code)),
    );
    await new Promise<void>((resolve) =>
      watch.on("data", ({ status }: { status: string }) => {
        seen.push(status);
        resolve();
      }),
    );

    const started = Date.now();
    await shutdown(grpcServer, 300);
    const waited = Date.now() - started;

    assert.deepEqual(seen, ["SERVING", "NOT_SERVING"]);
    assert.ok(
      waited >= 250 && waited < 2000,
      `an open stream holds shutdown for the grace period, waited ${waited} ms`,
    );
    assert.notEqual(await ended, GrpcStatus.OK);
    await assert.rejects(unary(health.Check.bind(health), { service: "" }), { code: GrpcStatus.UNAVAILABLE });
    await assert.rejects(listen(grpcServer.server, "127.0.0.1", 0), /gRPC listen on 127\.0\.0\.1:0 failed/);
    health.close();
  });
});

describe("proto loading and options", () => {
  const cases: { name: string; run: () => unknown; expected: RegExp | (new (...args: never[]) => Error) }[] = [
    {
      name: "an unknown proto path names the path and the proto root",
      run: () => loadProto("nope/missing.proto" as ProtoPath),
      expected: /proto "nope\/missing\.proto": no such file under .*proto/,
    },
    {
      name: "an unknown proto path is a ProtoNotFoundError",
      run: () => servicesOf("x.proto" as ProtoPath),
      expected: ProtoNotFoundError,
    },
    {
      name: "maxMessageBytes 0 is refused with the value",
      run: () => createGrpcServer({ maxMessageBytes: 0 }),
      expected: /maxMessageBytes 0: must be a positive whole number of bytes/,
    },
    {
      name: "maxMessageBytes 1.5 is an InvalidGrpcOptionError",
      run: () => createGrpcServer({ maxMessageBytes: 1.5 }),
      expected: InvalidGrpcOptionError,
    },
  ];
  for (const { name, run, expected } of cases) {
    test(name, () => assert.throws(run, expected));
  }

  test("servicesOf lists the services a proto defines", () => {
    assert.deepEqual(servicesOf("inference/grpc_predict_v2.proto"), [INFERENCE]);
  });
});
