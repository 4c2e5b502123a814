import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidNameError } from "@gyre/contracts";
import type { TransformSpec } from "@gyre/spec";
import { LayoutError, sqlName, storedColumns, tableLayout, tableNames } from "../src/layout.ts";
import { specWith, weatherSpec } from "./weather.ts";

const sensorFeatures = [
  { name: "time", type: "timestamp" as const },
  { name: "sensor", type: "categorical" as const, categories: ["a", "b"] },
  { name: "temp", type: "numeric" as const },
  { name: "count", type: "integer" as const },
  { name: "ok", type: "boolean" as const },
];
const sensorLabel = { name: "target", type: "numeric" as const };

describe("tableLayout turns a spec into typed columns", () => {
  test("weather: features typed, datePart stored, lag and rolling mean computed when read", () => {
    const layout = tableLayout(weatherSpec("weather-eu"));
    assert.equal(layout.offlineTable, "offline_weather_eu");
    assert.equal(layout.onlineTable, "online_weather_eu");
    assert.equal(layout.entityKey, "location");
    assert.deepEqual(
      layout.columns.map((column) => [column.name, column.sqlType, column.role, column.stored]),
      [
        ["location", "text", "feature", true],
        ["date", "timestamptz", "feature", true],
        ["precipitation", "double precision", "feature", true],
        ["temp_max", "double precision", "feature", true],
        ["temp_min", "double precision", "feature", true],
        ["wind", "double precision", "feature", true],
        ["month", "bigint", "transform", true],
        ["temp_max_lag1", "double precision", "transform", false],
        ["precipitation_mean_7", "double precision", "transform", false],
        ["weather", "text", "label", true],
      ],
    );
    assert.deepEqual(
      layout.writeTransforms.map((transform) => transform.name),
      ["month"],
    );
    assert.deepEqual(
      layout.readTransforms.map((transform) => transform.name),
      ["temp_max_lag1", "precipitation_mean_7"],
    );
  });

  const cases: { name: string; transforms: TransformSpec[]; stored: string[]; read: string[]; lagType?: string }[] = [
    {
      name: "a ratio of two features is stored",
      transforms: [{ kind: "ratio", name: "r", numerator: "temp", denominator: "count" }],
      stored: ["r"],
      read: [],
    },
    {
      name: "a ratio over a lag is computed when read, like the lag",
      transforms: [
        { kind: "lag", name: "temp_lag", column: "temp", lag: 2 },
        { kind: "ratio", name: "change", numerator: "temp", denominator: "temp_lag" },
      ],
      stored: [],
      read: ["temp_lag", "change"],
    },
    {
      name: "a lag of a categorical feature keeps its type",
      transforms: [{ kind: "lag", name: "sensor_lag", column: "sensor", lag: 1 }],
      stored: [],
      read: ["sensor_lag"],
      lagType: "text",
    },
  ];
  for (const { name, transforms, stored, read, lagType } of cases) {
    test(name, () => {
      const layout = tableLayout(specWith({ features: sensorFeatures, label: sensorLabel, transforms }));
      assert.deepEqual(
        storedColumns(layout)
          .filter((column) => column.role === "transform")
          .map((column) => column.name),
        stored,
      );
      assert.deepEqual(
        layout.readTransforms.map((transform) => transform.name),
        read,
      );
      if (lagType) assert.equal(layout.columns.find((column) => column.name === "sensor_lag")?.sqlType, lagType);
    });
  }
});

describe("tableLayout refuses what the tables cannot hold, naming it", () => {
  const cases: { name: string; features?: typeof sensorFeatures; transforms: TransformSpec[]; message: RegExp }[] = [
    {
      name: "a column named like a system column",
      features: [...sensorFeatures, { name: "_event_time", type: "numeric" }],
      transforms: [],
      message: /column "_event_time" is reserved/,
    },
    {
      name: "a rolling mean over a categorical feature",
      transforms: [{ kind: "rollingMean", name: "m", column: "sensor", window: 3 }],
      message: /"m" \(rollingMean\) reads "sensor" of type categorical; it needs a number/,
    },
    {
      name: "a datePart of a number",
      transforms: [{ kind: "datePart", name: "d", from: "temp", part: "month" }],
      message: /"d" \(datePart\) reads "temp" of type numeric; it needs a timestamp/,
    },
  ];
  for (const { name, features, transforms, message } of cases) {
    test(name, () => {
      const spec = specWith({ features: features ?? sensorFeatures, label: sensorLabel, transforms });
      assert.throws(
        () => tableLayout(spec),
        (err) => err instanceof LayoutError && message.test(err.message),
      );
    });
  }
});

describe("table names fit PostgreSQL identifiers", () => {
  test("dashes become underscores", () => {
    assert.deepEqual(tableNames("city-weather"), {
      offlineTable: "offline_city_weather",
      onlineTable: "online_city_weather",
    });
  });
  test("names over 63 characters keep their start and end in a hash, so long names stay distinct", () => {
    const long = `a${"b".repeat(62)}`;
    const other = `a${"b".repeat(61)}c`;
    const one = tableNames(long).offlineTable;
    assert.equal(one.length, 63);
    assert.ok(one.startsWith("offline_abbb"));
    assert.notEqual(one, tableNames(other).offlineTable);
    assert.equal(sqlName("short"), "short");
  });
  test("refuses a dataset name that is not a strict name before it can become an identifier", () => {
    for (const name of ['x"; drop table t; --', "../x", "a/b", "Upper", "", "a\u0000b", "é"]) {
      assert.throws(() => tableNames(name), InvalidNameError, JSON.stringify(name));
    }
  });
});
