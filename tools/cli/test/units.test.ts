import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { describe, it } from "node:test";
import type { ModelInferResponse__Output } from "@gyre/grpc";
import { parseEnvFile } from "../src/config.ts";
import { batchKeyPrefix, csvBatches, csvField } from "../src/csvBatches.ts";
import { UnreachableError } from "../src/failures.ts";
import { callFailure, serviceEndpoint } from "../src/grpcCalls.ts";
import { inferInputs, parseRowPairs, predictionsOf } from "../src/inferenceTensors.ts";
import { formatMetrics, formatNumber, renderTable } from "../src/output.ts";
import { formatLogLine } from "../src/serviceLogs.ts";

describe("parseEnvFile", () => {
  const cases: [string, string, Record<string, string>][] = [
    ["export lines", "export NATS_URL=nats://127.0.0.1:4222\n", { NATS_URL: "nats://127.0.0.1:4222" }],
    ["plain lines", "S3_BUCKET=gyre\n", { S3_BUCKET: "gyre" }],
    ["quoted values", `A="x y"\nB='z'\n`, { A: "x y", B: "z" }],
    ["comments and blanks", "# note\n\nC=1\n", { C: "1" }],
    ["a value with =", "D=a=b\n", { D: "a=b" }],
  ];
  for (const [name, text, expected] of cases) {
    it(`reads ${name}`, () => assert.deepEqual(parseEnvFile(text), expected));
  }
});

describe("output", () => {
  it("aligns table columns under upper-case headers and shows nothing as -", () => {
    const table = renderTable(
      ["name", "version", "note"],
      [
        ["weather", 12, null],
        ["sw", 3, "ok"],
      ],
    );
    assert.equal(table, ["NAME      VERSION   NOTE", "weather   12        -", "sw        3         ok"].join("\n"));
  });

  const numbers: [number, string][] = [
    [3, "3"],
    [0.912345, "0.9123"],
    [0.00012346, "0.0001235"],
    [12.34567, "12.346"],
    [1234.56, "1234.6"],
    [0.5, "0.5"],
  ];
  for (const [value, text] of numbers) it(`formats ${value} as ${text}`, () => assert.equal(formatNumber(value), text));

  it("lists metrics sorted by name", () => {
    assert.equal(formatMetrics({ log_loss: 0.5, accuracy: 0.75 }), "accuracy=0.75 log_loss=0.5");
    assert.equal(formatMetrics({}), "-");
  });
});

describe("csvBatches", () => {
  it("splits records into batches that each carry the header, with keys from the file name", async () => {
    const csv = 'a,b\n1,x\n2,"y, z"\n\n3,"say ""hi"""\n';
    const batches = [];
    for await (const batch of csvBatches(Readable.from([csv]), {
      batchRows: 2,
      keyPrefix: batchKeyPrefix("/d/my data.csv"),
    })) {
      batches.push(batch);
    }
    assert.deepEqual(
      batches.map((batch) => [batch.batchKey, batch.rows, batch.csv]),
      [
        ["my_data.csv-00000", 2, 'a,b\n1,x\n2,"y, z"\n'],
        ["my_data.csv-00001", 1, 'a,b\n3,"say ""hi"""\n'],
      ],
    );
  });

  it("quotes only fields that need it", () => {
    assert.deepEqual(["plain", "a,b", 'q"', " pad", "line\nbreak", ""].map(csvField), [
      "plain",
      '"a,b"',
      '"q"""',
      '" pad"',
      '"line\nbreak"',
      "",
    ]);
  });
});

describe("inference tensors", () => {
  const inputs = [
    { name: "temp", datatype: "FP32" },
    { name: "month", datatype: "INT64" },
    { name: "city", datatype: "BYTES" },
    { name: "rainy", datatype: "BOOL" },
  ];

  it("encodes one tensor per feature in the datatype ModelMetadata gives", () => {
    const tensors = inferInputs(inputs, [parseRowPairs(["temp=1.5", "month=3", "city=Seattle", "rainy=yes"])], false);
    assert.deepEqual(
      tensors.map((tensor) => [tensor.name, tensor.datatype, tensor.shape, tensor.contents]),
      [
        ["temp", "FP32", [1], { fp32_contents: [1.5] }],
        ["month", "INT64", [1], { int64_contents: ["3"] }],
        ["city", "BYTES", [1], { bytes_contents: [Buffer.from("Seattle")] }],
        ["rainy", "BOOL", [1], { bool_contents: [true] }],
      ],
    );
  });

  const failures: [string, Record<string, string>, boolean, RegExp][] = [
    ["missing features", { temp: "1" }, false, /missing features month, city, rainy: the model takes temp, month/],
    ["unknown features", { temp: "1", month: "1", city: "a", rainy: "0", wind: "3" }, false, /unknown feature wind/],
    [
      "a number that is not one",
      { temp: "warm", month: "1", city: "a", rainy: "0" },
      false,
      /"temp": "warm" is not a number/,
    ],
    [
      "a fractional integer",
      { temp: "1", month: "1.5", city: "a", rainy: "0" },
      false,
      /"month": 1.5 is not a whole number/,
    ],
  ];
  for (const [name, row, ignoreExtra, message] of failures) {
    it(`refuses ${name}`, () => assert.throws(() => inferInputs(inputs, [row], ignoreExtra), message));
  }

  it("drops extra columns of a file", () => {
    const row = { temp: "1", month: "1", city: "a", rainy: "0", weather: "sun" };
    assert.equal(inferInputs(inputs, [row], true).length, 4);
  });

  it("refuses a --row pair without =", () => assert.throws(() => parseRowPairs(["temp"]), /expected feature=value/));

  it("reads a classifier's label and probabilities", () => {
    const response = {
      model_name: "weather",
      model_version: "3",
      id: "",
      parameters: {},
      raw_output_contents: [],
      outputs: [
        {
          name: "probabilities",
          datatype: "FP32",
          shape: ["2", "2"],
          parameters: { classes: { string_param: '["rain","sun"]', parameter_choice: "string_param" } },
          contents: { fp32_contents: [0.25, 0.75, 0.9, 0.1] },
        },
        {
          name: "label",
          datatype: "BYTES",
          shape: ["2"],
          parameters: {},
          contents: { bytes_contents: [Buffer.from("sun"), Buffer.from("rain")] },
        },
      ],
    } as unknown as ModelInferResponse__Output;
    assert.deepEqual(predictionsOf(response, 2), [
      { label: "sun", probability: 0.75, probabilities: { rain: 0.25, sun: 0.75 } },
      { label: "rain", probability: 0.9, probabilities: { rain: 0.9, sun: 0.1 } },
    ]);
  });
});

describe("callFailure", () => {
  const endpoint = serviceEndpoint("registry", "127.0.0.1:50053", "REGISTRY_GRPC_ADDR");
  it("names the endpoint, its variable and how to start it when unreachable", () => {
    const error = callFailure(
      endpoint,
      "ListModels",
      { code: 14, details: "No connection established", message: "" },
      1000,
    );
    assert.ok(error instanceof UnreachableError);
    assert.match(
      error.message,
      /registry gRPC at 127\.0\.0\.1:50053 \(REGISTRY_GRPC_ADDR\) is unreachable: No connection established; start the services with `npx gyre up`/,
    );
  });
  it("keeps the cause of grpc-js's connection failure", () => {
    const details =
      "No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:8001. Resolution note: ";
    const error = callFailure(endpoint, "ListModels", { code: 14, details, message: "" }, 1000);
    assert.match(error.message, /is unreachable: connect ECONNREFUSED 127\.0\.0\.1:8001; start the services/);
  });
  it("passes the server's message on with the status name", () => {
    const error = callFailure(
      endpoint,
      "Promote",
      { code: 5, details: 'model "w" has no version 9', message: "" },
      1000,
    );
    assert.equal(error.message, 'NOT_FOUND: model "w" has no version 9');
  });
});

describe("formatLogLine", () => {
  it("makes a JSON log line readable and leaves other lines alone", () => {
    const line = JSON.stringify({
      level: "info",
      time: "2024-05-01T12:00:03.123Z",
      service: "ingestion",
      pid: 1,
      hostname: "h",
      event: "batch.ingested",
      rows: 31,
      batchKey: "a b",
      msg: "batch ingested",
    });
    assert.equal(formatLogLine(line), '12:00:03 INFO  batch ingested  event=batch.ingested rows=31 batchKey="a b"');
    assert.equal(formatLogLine("    at main (x.ts:1)"), "    at main (x.ts:1)");
  });
});
