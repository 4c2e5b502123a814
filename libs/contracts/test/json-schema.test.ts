import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Ajv2020 } from "ajv/dist/2020.js";
import { EVENT_TYPES, type EventType, schemaId, toJsonSchemas } from "../src/index.ts";
import { validEvents, withData } from "./fixtures.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const schemas = toJsonSchemas();
// Formats are not checked here (zod's date-time pattern is in the schema anyway); strict off for `if/then`.
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
const validators = Object.fromEntries(EVENT_TYPES.map((type) => [type, ajv.compile(schemas[type])])) as Record<
  EventType,
  ReturnType<typeof ajv.compile>
>;

describe("JSON Schema export", () => {
  test("has one schema per event type, each with its $id and title", () => {
    assert.deepEqual(Object.keys(schemas).sort(), [...EVENT_TYPES].sort());
    for (const type of EVENT_TYPES) {
      const schema = schemas[type] as { $id: string; title: string; $schema: string };
      assert.equal(schema.$id, `https://gyre.dev/schemas/${type}.json`);
      assert.equal(schema.$id, schemaId(type));
      assert.equal(schema.title, `Gyre ${type} event`);
      assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    }
  });

  test("the committed files under libs/contracts/schemas are current", () => {
    for (const type of EVENT_TYPES) {
      const committed = JSON.parse(readFileSync(`${repoRoot}libs/contracts/schemas/${type}.json`, "utf8"));
      assert.deepEqual(committed, schemas[type], `libs/contracts/schemas/${type}.json`);
    }
  });

  test("export-schemas --check exits 0 on the committed files", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "scripts/export-schemas.ts", "--check"],
      { cwd: repoRoot },
    );
    assert.match(stdout, /libs\/contracts\/schemas is current \(13 event types\)/);
  });

  for (const type of EVENT_TYPES) {
    test(`a JSON Schema validator accepts the valid ${type} event`, () => {
      const validate = validators[type];
      assert.equal(validate(validEvents[type]), true, JSON.stringify(validate.errors));
    });
  }

  const acceptedByJsonSchema: { name: string; event: unknown }[] = [
    {
      name: "data.arrived of Parquet bytes inline",
      event: withData("data.arrived", (d) => {
        delete d.rows;
        d.format = "parquet";
        d.rowsBase64 = "UEFSMQ==";
      }),
    },
    {
      name: "data.arrived of gzip CSV bytes inline",
      event: withData("data.arrived", (d) => {
        delete d.rows;
        d.compression = "gzip";
        d.rowsBase64 = "H4sIAAAAAAAAA0vUSTLkAgCOIEJZBQAAAA==";
      }),
    },
  ];
  for (const { name, event } of acceptedByJsonSchema) {
    test(`a JSON Schema validator accepts ${name}`, () => {
      const validate = validators["data.arrived"];
      assert.equal(validate(event), true, JSON.stringify(validate.errors));
    });
  }

  const refusedByJsonSchema: { name: string; type: EventType; event: unknown }[] = [
    {
      name: "data.arrived with both rows and ref",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        d.ref = "s3://bucket/key.csv";
      }),
    },
    {
      name: "data.arrived with neither rows nor ref",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        delete d.rows;
      }),
    },
    {
      name: "data.arrived of format json with string rows",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        d.format = "json";
      }),
    },
    {
      name: "data.arrived of format parquet with text rows",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        d.format = "parquet";
      }),
    },
    {
      name: "data.arrived of plain csv in rowsBase64",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        delete d.rows;
        d.rowsBase64 = "YSxiCjEsMgo=";
      }),
    },
    {
      name: "data.arrived of gzip parquet",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        delete d.rows;
        d.format = "parquet";
        d.compression = "gzip";
        d.rowsBase64 = "UEFSMQ==";
      }),
    },
    {
      name: "data.arrived for dataset ../x",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        d.dataset = "../x";
      }),
    },
    {
      name: "data.arrived with a ref that climbs out",
      type: "data.arrived",
      event: withData("data.arrived", (d) => {
        delete d.rows;
        d.ref = "s3://bucket/../x";
      }),
    },
    {
      name: "model.promoted with an unknown key",
      type: "model.promoted",
      event: withData("model.promoted", (d) => {
        d.champion = true;
      }),
    },
    {
      name: "data.ingested under another event type",
      type: "data.ingested",
      event: { ...validEvents["data.ingested"], type: "data.validated" },
    },
  ];
  for (const { name, type, event } of refusedByJsonSchema) {
    test(`a JSON Schema validator refuses ${name}`, () => {
      assert.equal(validators[type](event), false);
    });
  }
});
