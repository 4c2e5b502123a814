import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { FeatureColumn__Output, RowChunk__Output } from "@gyre/grpc";
import type { FeatureRow } from "@gyre/model";
import { decodeChunk, exportRequest } from "../src/trainingSet.ts";
import { seattleWeatherSpec } from "./seattle-weather.ts";

const column = (name: string, type: FeatureColumn__Output["type"]): FeatureColumn__Output => ({
  name,
  type,
  role: "COLUMN_ROLE_FEATURE",
  categories: [],
  spec_type: "",
});

const COLUMNS = [
  column("event_time", "COLUMN_TYPE_TIMESTAMP"),
  column("temp_max", "COLUMN_TYPE_DOUBLE"),
  column("month", "COLUMN_TYPE_INT64"),
  column("windy", "COLUMN_TYPE_BOOL"),
  column("weather", "COLUMN_TYPE_STRING"),
];

const values = (fields: Partial<RowChunk__Output["columns"][number]>) => ({
  numbers: [],
  strings: [],
  bools: [],
  null_rows: [],
  ...fields,
});

describe("training set: columnar chunks into rows", () => {
  it("decodes each column by its type, nulls where listed, and splits rows by their holdout flag", () => {
    const chunk: RowChunk__Output = {
      first_row: "0",
      row_count: 3,
      holdout: [false, false, true],
      columns: [
        values({ strings: ["2012-01-01T00:00:00.000Z", "2012-01-02T00:00:00.000Z", "2012-01-03T00:00:00.000Z"] }),
        values({ numbers: [12.8, 0, 11.7], null_rows: [1] }),
        values({ numbers: [1, 1, 1] }),
        values({ bools: [true, false, false], null_rows: [2] }),
        values({ strings: ["drizzle", "rain", ""], null_rows: [2] }),
      ],
    };
    const train: FeatureRow[] = [];
    const holdout: FeatureRow[] = [];
    decodeChunk(COLUMNS, chunk, train, holdout);
    assert.deepEqual(train, [
      { event_time: "2012-01-01T00:00:00.000Z", temp_max: 12.8, month: 1, windy: true, weather: "drizzle" },
      { event_time: "2012-01-02T00:00:00.000Z", temp_max: null, month: 1, windy: false, weather: "rain" },
    ]);
    assert.deepEqual(holdout, [
      { event_time: "2012-01-03T00:00:00.000Z", temp_max: 11.7, month: 1, windy: null, weather: null },
    ]);
  });

  it("appends chunk after chunk in export order", () => {
    const train: FeatureRow[] = [];
    const holdout: FeatureRow[] = [];
    const one = [column("x", "COLUMN_TYPE_DOUBLE")];
    decodeChunk(
      one,
      { first_row: "0", row_count: 2, holdout: [false, false], columns: [values({ numbers: [1, 2] })] },
      train,
      holdout,
    );
    decodeChunk(
      one,
      { first_row: "2", row_count: 1, holdout: [true], columns: [values({ numbers: [3] })] },
      train,
      holdout,
    );
    assert.deepEqual(train, [{ x: 1 }, { x: 2 }]);
    assert.deepEqual(holdout, [{ x: 3 }]);
  });

  it("a column the chunk does not carry reads as missing", () => {
    const train: FeatureRow[] = [];
    decodeChunk(
      [column("x", "COLUMN_TYPE_DOUBLE"), column("y", "COLUMN_TYPE_DOUBLE")],
      { first_row: "0", row_count: 1, holdout: [false], columns: [values({ numbers: [5] })] },
      train,
      [],
    );
    assert.deepEqual(train, [{ x: 5, y: null }]);
  });
});

describe("training set: export requests", () => {
  const spec = seattleWeatherSpec();

  it("asks for a new snapshot with the spec's window and holdout share", () => {
    assert.deepEqual(exportRequest(spec, null), { dataset: "seattle-weather", holdout_share: 0.2, last_rows: 1000 });
  });

  it("asks for every row when the spec has no window", () => {
    const unwindowed = { ...spec, training: { ...spec.training, windowRows: undefined } };
    assert.deepEqual(exportRequest(unwindowed, null), { dataset: "seattle-weather", holdout_share: 0.2 });
  });

  it("replays a recorded snapshot by id alone (its window and holdout come with it)", () => {
    assert.deepEqual(exportRequest(spec, "snap-1"), { dataset: "seattle-weather", snapshot_id: "snap-1" });
  });
});
