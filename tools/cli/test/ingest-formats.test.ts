import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import type { DataIngested } from "@gyre/contracts";
import { SEATTLE_WEATHER_CSV, seattleWeatherDays, seattleWeatherParquet } from "@gyre/testkit";
import { type Loop, startLoop } from "../../../e2e/harness.ts";
import { gyre, gyreJson } from "./gyre.ts";

const DATASET = "weather";

interface Summary {
  totals: { batches: number; rows: number; uploaded: number; validated: number; rejected: number; pending: number };
  batches: { batchKey: string; via: string; sha256: string; outcome?: { kind: string } }[];
}

describe("gyre ingest reads .csv.gz, .ndjson, .ndjson.gz, .json and .parquet", () => {
  let loop: Loop;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const days = seattleWeatherDays();
  const csv = readFileSync(SEATTLE_WEATHER_CSV);
  const ndjson = (from: number, to: number) =>
    days
      .slice(from, to)
      .map((day) => `${JSON.stringify(day)}\n`)
      .join("");
  const file = (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  /** The stored raw batch key ingestion announced for a batch the CLI sent. */
  const objectKeyOf = (sha256: string) =>
    loop.seen("data.ingested").find((event) => (event.data as DataIngested).sha256 === sha256)?.data as
      | DataIngested
      | undefined;

  before(async () => {
    loop = await startLoop(["ingestion", "validation"]);
    await loop.applySpec("examples/seattle-weather.spec.yaml", DATASET);
    dir = mkdtempSync(join(tmpdir(), "gyre-cli-formats-"));
    const { s3 } = loop.infra;
    env = {
      GYRE_ENV_FILE: "off",
      GYRE_NAMESPACE: loop.namespace,
      NATS_URL: loop.infra.natsUrl,
      S3_ENDPOINT: s3.endpoint,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_REGION: s3.region,
      S3_BUCKET: loop.bucket,
      OTEL_SDK_DISABLED: "true",
    };
  });

  after(async () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    await loop?.close();
  });

  it("sends a .csv.gz as gzip CSV batches, inline in base64 or through S3, stored by ingestion as .csv.gz", async () => {
    const path = file("seattle.csv.gz", gzipSync(csv));
    const inline = await gyreJson<Summary>(env, "ingest", path, "--dataset", DATASET, "--batch-rows", "500");
    assert.deepEqual(inline.totals, { ...inline.totals, batches: 3, rows: 1461, uploaded: 0, validated: 3 });
    const viaS3 = await gyreJson<Summary>(
      env,
      "ingest",
      path,
      "--dataset",
      DATASET,
      "--batch-rows",
      "700",
      "--key-prefix",
      "gz-s3",
      "--max-inline-bytes",
      "300",
    );
    assert.deepEqual(viaS3.totals, { ...viaS3.totals, batches: 3, rows: 1461, uploaded: 3, validated: 3 });
    for (const batch of [...inline.batches, ...viaS3.batches]) {
      assert.match(objectKeyOf(batch.sha256)?.objectKey ?? "", /\.csv\.gz$/, batch.batchKey);
    }
  });

  it("sends .ndjson, .ndjson.gz and .json files in batches of their own format", async () => {
    const cases = [
      { name: "2012.ndjson", bytes: ndjson(0, 366), extension: ".ndjson" },
      { name: "2013.ndjson.gz", bytes: gzipSync(ndjson(366, 731)), extension: ".ndjson.gz" },
      { name: "2014.json", bytes: JSON.stringify(days.slice(731, 1096)), extension: ".json" },
    ];
    for (const { name, bytes, extension } of cases) {
      const summary = await gyreJson<Summary>(
        env,
        "ingest",
        file(name, bytes),
        "--dataset",
        DATASET,
        "--batch-rows",
        "200",
      );
      assert.deepEqual(summary.totals, { ...summary.totals, batches: 2, validated: 2, rejected: 0, pending: 0 }, name);
      for (const batch of summary.batches) {
        assert.ok(objectKeyOf(batch.sha256)?.objectKey.endsWith(extension), `${batch.batchKey} stored as ${extension}`);
      }
    }
  });

  it("sends a .parquet file whole, as one batch, stored as .parquet", async () => {
    const summary = await gyreJson<Summary>(
      env,
      "ingest",
      file("seattle.parquet", seattleWeatherParquet(days, { rowGroupSize: 400 })),
      "--dataset",
      DATASET,
    );
    assert.deepEqual(summary.totals, { ...summary.totals, batches: 1, rows: 1461, validated: 1, pending: 0 });
    const ingested = objectKeyOf(summary.batches[0]?.sha256 ?? "");
    assert.equal(ingested?.rowCount, 1461);
    assert.match(ingested?.objectKey ?? "", /\.parquet$/);
  });

  it("names an ending it does not read, and a file that is not what its name says", async () => {
    const [text, notParquet, notGzip] = await Promise.all([
      gyre(env, "ingest", file("notes.txt", "a,b\n1,2\n"), "--dataset", DATASET),
      gyre(env, "ingest", file("broken.parquet", csv), "--dataset", DATASET),
      gyre(env, "ingest", file("plain.csv.gz", csv), "--dataset", DATASET),
    ]);
    assert.equal(text.code, 1);
    assert.match(
      text.stderr,
      /notes\.txt": gyre ingest reads \.csv\.gz, \.ndjson\.gz, \.json\.gz, \.csv, \.ndjson, \.json, \.parquet/,
    );
    assert.equal(notParquet.code, 1);
    assert.match(
      notParquet.stderr,
      /broken\.parquet": Parquet batch is unreadable: parquet file invalid \(footer != PAR1\)/,
    );
    assert.equal(notGzip.code, 1);
    assert.match(notGzip.stderr, /plain\.csv\.gz" is not readable gzip: incorrect header check/);
  });
});
