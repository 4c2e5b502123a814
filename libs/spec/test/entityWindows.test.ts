import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { reachableHistory, requestFeatures, type TimedRow, type TransformSpec, withTransforms } from "../src/index.ts";

const transforms: TransformSpec[] = [
  { kind: "datePart", name: "month", from: "date", part: "month" },
  { kind: "lag", name: "temp_lag1", column: "temp", lag: 1 },
  { kind: "rollingMean", name: "rain_mean3", column: "rain", window: 3 },
];
const spec = { eventTime: "date", entityKey: "city", transforms };
const day = (n: number) => Date.UTC(2015, 0, n);
const row = (n: number, temp: number | null, rain: number | null): TimedRow => ({
  time: day(n),
  values: { city: "x", date: new Date(day(n)).toISOString(), temp, rain },
});

describe("requestFeatures computes a new row's inputs from the entity's history as of its event time", () => {
  const history = [row(1, 10, 1), row(2, 11, null), row(3, 12, 3), row(4, 13, 4), row(6, 15, 6)];

  test("a request after the last stored row sees the latest rows", () => {
    const vector = requestFeatures(spec, history, { temp: 20, rain: 0, date: "2015-02-01" }, day(32));
    assert.deepEqual([vector.month, vector.temp_lag1, vector.rain_mean3], [2, 15, (3 + 4 + 6) / 3]);
  });

  test("a request in the past sees only rows strictly before its time", () => {
    const vector = requestFeatures(spec, history, { temp: 20, rain: 0, date: "2015-01-04" }, day(4));
    assert.deepEqual([vector.temp_lag1, vector.rain_mean3], [12, (1 + 3) / 2]);
  });

  test("a new entity gets what the first row of an entity got: missing lags and means", () => {
    const vector = requestFeatures(spec, [], { temp: 20, rain: 0, date: "2015-01-04" }, day(4));
    assert.deepEqual([vector.month, vector.temp_lag1, vector.rain_mean3], [1, null, null]);
  });

  test("values the request carries win over computed ones", () => {
    const vector = requestFeatures(spec, history, { temp: 20, date: "2015-01-04", temp_lag1: 99, month: 7 }, day(4));
    assert.deepEqual([vector.month, vector.temp_lag1], [7, 99]);
  });

  test("it agrees with the batch computation on every row of a stream", () => {
    const stream = [row(1, 1, 1), row(2, 2, 2), row(2, 3, null), row(3, null, 5), row(5, 6, 6), row(7, 7, 7)];
    const batch = withTransforms(
      spec,
      stream.map((r) => r.values),
    );
    stream.forEach((r, index) => {
      const online = requestFeatures(spec, stream, r.values, r.time);
      for (const name of ["month", "temp_lag1", "rain_mean3"]) {
        assert.ok(Object.is(online[name], batch[index]?.[name]), `row ${index} ${name}`);
      }
    });
  });
});

describe("time windows and the label lag, point in time", () => {
  const timed: TransformSpec[] = [
    { kind: "lag", name: "temp_lag_2d", column: "temp", lag: "2d" },
    { kind: "rollingMean", name: "rain_mean_3d", column: "rain", window: "3d" },
    { kind: "lag", name: "label_lag1", column: "label", lag: 1 },
  ];
  const timedSpec = { eventTime: "date", entityKey: "city", transforms: timed };
  const labelled = (n: number, temp: number, rain: number | null, label: string): TimedRow => {
    const base = row(n, temp, rain);
    return { time: base.time, values: { ...base.values, label } };
  };
  // days 1, 2, 2, 4, 7
  const stream = [
    labelled(1, 10, 1, "a"),
    labelled(2, 11, 2, "b"),
    labelled(2, 12, null, "c"),
    labelled(4, 14, 4, "d"),
    labelled(7, 17, 7, "e"),
  ];

  test("a lag by d is the latest row at or before t − d; a mean of d averages [t − d, t); the label lag is the previous row's", () => {
    const batch = withTransforms(
      timedSpec,
      stream.map((r) => r.values),
    );
    assert.deepEqual(
      batch.map((r) => [r.temp_lag_2d, r.rain_mean_3d, r.label_lag1]),
      [
        [null, null, null],
        [null, 1, "a"],
        [null, 1, "a"], // a tie sees what the first row of its time saw
        [12, 1.5, "c"], // t − 2d = day 2: the latest row of day 2; [day 1, day 4): 1, 2 and a missing value
        [14, 4, "d"], // t − 2d = day 5: day 4; [day 4, day 7): 4
      ],
    );
  });

  test("a request without its own label gets the same as the batch computation", () => {
    // t − 2d = day 6: day 4's row; [day 5, day 8): day 7
    const online = requestFeatures(timedSpec, stream, { city: "x", temp: 20, rain: 0, date: "2015-01-08" }, day(8));
    assert.deepEqual([online.temp_lag_2d, online.rain_mean_3d, online.label_lag1], [14, 7, "e"]);
    const appended = [...stream, { time: day(8), values: { ...online, label: "f" } }];
    const batch = withTransforms(
      timedSpec,
      appended.map((r) => r.values),
    );
    assert.deepEqual([batch[5]?.temp_lag_2d, batch[5]?.rain_mean_3d, batch[5]?.label_lag1], [14, 7, "e"]);
  });
});

describe("reachableHistory keeps the rows of the last distinct event times the windows reach", () => {
  test("ties count as one event time", () => {
    const lag2: TransformSpec[] = [{ kind: "lag", name: "t2", column: "temp", lag: 2 }];
    const history = [row(1, 1, 0), row(2, 2, 0), row(3, 3, 0), row(3, 4, 0), row(4, 5, 0)];
    assert.deepEqual(
      reachableHistory(lag2, history, day(4)).map((r) => r.values.temp),
      [2, 3, 4],
    );
    assert.deepEqual(
      reachableHistory(lag2, history, day(9)).map((r) => r.values.temp),
      [3, 4, 5],
    );
  });
});
