import { existsSync, statSync } from "node:fs";
import type { ArtifactStore } from "@gyre/artifacts";
import type { SingleBar } from "cli-progress";
import type { Command } from "commander";
import type { BatchOutcome, SentBatch } from "../batchOutcomes.ts";
import { CliError } from "../failures.ts";
import type { FileBatch, FileKind, JsonRow } from "../fileBatches.ts";
import { note, printJson, printLine, printTable } from "../output.ts";
import { positiveInteger, positiveNumber, withSession } from "../run.ts";
import type { Session } from "../session.ts";

export const ARRIVED_SOURCE = "/gyre/cli";

interface IngestOptions {
  dataset: string;
  batchRows: number;
  rate?: number;
  keyPrefix?: string;
  maxInlineBytes?: number;
  timeout: string;
  wait: boolean;
  json?: boolean;
}

interface BatchReport extends SentBatch {
  index: number;
  rows: number;
  bytes: number;
  /** `inline`, or the s3:// reference the batch was uploaded to. */
  via: string;
  /** JetStream had the same event id already (sent in the last two minutes). */
  duplicate: boolean;
  outcome?: BatchOutcome;
}

/** "90s", "5m", or whole seconds. */
async function timeoutMs(raw: string): Promise<number> {
  const { parseDuration } = await import("@gyre/config");
  const ms = parseDuration(raw) ?? (/^\d+$/.test(raw) ? Number(raw) * 1000 : undefined);
  if (ms === undefined) throw new CliError(`--timeout ${JSON.stringify(raw)}: expected a duration like 90s or 5m`);
  return ms;
}

export function registerIngest(program: Command): void {
  program
    .command("ingest")
    .description(
      "Send a file to a dataset in batches (data.arrived), then wait for and summarise their validation: .csv, .ndjson, .json (each maybe .gz) or .parquet",
    )
    .argument("<file>", "CSV with a header row, NDJSON, a JSON array of rows (each maybe gzipped), or Parquet")
    .requiredOption("--dataset <name>", "the dataset (its spec must be applied)")
    .option(
      "--batch-rows <n>",
      "rows per batch (a Parquet file is sent whole, as one batch)",
      positiveInteger("--batch-rows"),
      500,
    )
    .option("--rate <batches-per-second>", "send at most this many batches per second", positiveNumber("--rate"))
    .option("--key-prefix <prefix>", "batch keys are <prefix>-00000, -00001, ... (default: the file name)")
    .option(
      "--max-inline-bytes <n>",
      "larger batches go to S3 and are sent as s3:// references (default and most: MAX_INLINE_BYTES, 768 KiB)",
      positiveInteger("--max-inline-bytes"),
    )
    .option("--timeout <duration>", "how long to wait for the outcomes", "120s")
    .option("--no-wait", "send and return without waiting for the outcomes")
    .option("--json", "print the summary as JSON")
    .action(withSession(ingest));
}

async function ingest(session: Session, file: string, options: IngestOptions): Promise<void> {
  // Loaded when the command runs (csv-parse, zlib, contracts' zod schemas): `gyre --help` does not wait for them.
  const { fileBatches, fileKind } = await import("../fileBatches.ts");
  const kind = fileKind(file);
  if (!existsSync(file)) throw new CliError(`${kindName(kind)} file ${JSON.stringify(file)}: no such file`);
  const { MAX_INLINE_BYTES, newEvent } = await import("@gyre/contracts");
  const { batchKeyPrefix } = await import("../csvBatches.ts");
  const { createHash } = await import("node:crypto");
  const maxInlineBytes = options.maxInlineBytes ?? MAX_INLINE_BYTES;
  if (maxInlineBytes > MAX_INLINE_BYTES) {
    throw new CliError(`--max-inline-bytes ${maxInlineBytes}: at most ${MAX_INLINE_BYTES} (MAX_INLINE_BYTES)`);
  }
  const timeout = await timeoutMs(options.timeout);
  const keyPrefix = options.keyPrefix ?? batchKeyPrefix(file);
  if (!/^[A-Za-z0-9._-]{1,120}$/.test(keyPrefix)) {
    throw new CliError(
      `--key-prefix ${JSON.stringify(keyPrefix)}: 1-120 characters of A-Z, a-z, 0-9, ".", "_" and "-"`,
    );
  }
  const bus = await session.bus({ provision: true });
  const spec = (await (await session.specs()).current(options.dataset)).spec;
  const { BatchOutcomeWatch } = await import("../batchOutcomes.ts");
  const watch = options.wait ? await BatchOutcomeWatch.start(bus, options.dataset) : undefined;
  const progress = await progressBar(options.json === true);
  const totalBytes = statSync(file).size;
  progress?.start(totalBytes, 0, { phase: "sending", batches: 0, rows: 0 });

  const reports: BatchReport[] = [];
  let store: ArtifactStore | undefined;
  const started = Date.now();
  try {
    for await (const batch of fileBatches(file, kind, { batchRows: options.batchRows, keyPrefix })) {
      if (options.rate !== undefined) await pace(started, batch.index, options.rate);
      const { bytes } = batch;
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      let via = "inline";
      let payload = inlinePayload(kind, batch);
      if (inlineSize(payload) > maxInlineBytes) {
        store ??= await session.artifacts();
        const stored = await store.putContentAddressed(`incoming/${options.dataset}`, bytes);
        via = `s3://${store.bucket}/${stored.key}`;
        payload = { ref: via };
      }
      const eventId = `cli-${options.dataset}-${batch.batchKey}`;
      const event = newEvent(
        "data.arrived",
        ARRIVED_SOURCE,
        {
          dataset: options.dataset,
          batchKey: batch.batchKey,
          format: kind.format,
          ...(kind.compression === undefined ? {} : { compression: kind.compression }),
          ...payload,
          labelled: batch.columns.includes(spec.label.name),
          metadata: { file: batchKeyPrefix(file), index: String(batch.index) },
        },
        { id: eventId },
      );
      const published = await bus.publish(event, options.dataset);
      reports.push({
        index: batch.index,
        batchKey: batch.batchKey,
        eventId,
        sha256,
        rows: batch.rows,
        bytes: bytes.length,
        via,
        duplicate: published.duplicate,
      });
      progress?.update(batch.bytesRead, { batches: reports.length, rows: sum(reports, (r) => r.rows) });
    }
    progress?.update(totalBytes);
    progress?.stop();
    if (reports.length === 0 || sum(reports, (r) => r.rows) === 0) {
      throw new CliError(`${kindName(kind)} file ${JSON.stringify(file)} has no data rows`);
    }

    if (watch) {
      const waiting = await progressBar(options.json === true);
      waiting?.start(reports.length, 0, {
        phase: "validating",
        batches: reports.length,
        rows: sum(reports, (r) => r.rows),
      });
      await watch.waitFor(reports, timeout, (resolved) => waiting?.update(resolved));
      waiting?.stop();
      for (const report of reports) {
        const outcome = watch.outcome(report);
        if (outcome) report.outcome = outcome;
      }
    }
  } catch (error) {
    // csv-parse's errors carry a CSV_* code (their name is plain "Error").
    if (error instanceof Error && String((error as { code?: unknown }).code).startsWith("CSV_")) {
      throw new CliError(
        `CSV file ${JSON.stringify(file)}: ${error.message} (${reports.length} batches were sent before it)`,
      );
    }
    throw error;
  } finally {
    progress?.stop();
    watch?.stop();
  }
  summarise(file, { ...options, timeoutMs: timeout }, reports);
}

function kindName(kind: FileKind): string {
  const name = kind.format === "json" ? "JSON" : kind.format === "parquet" ? "Parquet" : kind.format.toUpperCase();
  return kind.compression === "gzip" ? `gzip ${name}` : name;
}

type Payload = { rows: string } | { rows: JsonRow[] } | { rowsBase64: string } | { ref: string };

/** A batch inline: text as text, a JSON batch as its array, bytes (gzip, Parquet) in base64. */
function inlinePayload(kind: FileKind, batch: FileBatch): Payload {
  if (kind.format === "parquet" || kind.compression !== undefined)
    return { rowsBase64: batch.bytes.toString("base64") };
  return batch.jsonRows === undefined ? { rows: batch.bytes.toString("utf8") } : { rows: batch.jsonRows };
}

/** What MAX_INLINE_BYTES measures: the UTF-8 of the text or the array's JSON, or the base64 text. */
function inlineSize(payload: Payload): number {
  if ("rowsBase64" in payload) return payload.rowsBase64.length;
  if ("rows" in payload)
    return typeof payload.rows === "string"
      ? Buffer.byteLength(payload.rows)
      : Buffer.byteLength(JSON.stringify(payload.rows));
  return 0;
}

/** Batch i goes out no earlier than i / rate seconds after the first. */
async function pace(started: number, index: number, rate: number): Promise<void> {
  const due = started + (index / rate) * 1000;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}

async function progressBar(quiet: boolean): Promise<SingleBar | undefined> {
  if (quiet || !process.stderr.isTTY) return undefined;
  const { default: cliProgress } = await import("cli-progress");
  return new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: "{phase} |{bar}| {percentage}% | {batches} batches, {rows} rows",
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function outcomeText(outcome: BatchOutcome | undefined): string {
  if (!outcome) return "pending";
  return outcome.kind === "refused" ? `refused by ${outcome.service}` : outcome.kind;
}

function summarise(
  file: string,
  options: IngestOptions & { timeoutMs: number },
  reports: readonly BatchReport[],
): void {
  const count = (kind: BatchOutcome["kind"]) => reports.filter((report) => report.outcome?.kind === kind).length;
  const totals = {
    batches: reports.length,
    rows: sum(reports, (r) => r.rows),
    uploaded: reports.filter((report) => report.via !== "inline").length,
    validated: count("validated"),
    rejected: count("rejected"),
    refused: count("refused"),
    conflicts: count("conflict"),
    pending: options.wait ? reports.filter((report) => !report.outcome).length : null,
  };
  const failed = totals.refused + totals.conflicts + (totals.pending ?? 0);
  if (failed > 0) process.exitCode = 1;

  if (options.json) {
    printJson({ dataset: options.dataset, file, totals, batches: reports });
    return;
  }
  printLine(
    `sent ${totals.batches} batches (${totals.rows} rows, ${totals.uploaded} via S3) of ${file} to dataset ${options.dataset}`,
  );
  if (!options.wait) return;
  printLine(
    `validated ${totals.validated}, rejected ${totals.rejected}, refused ${totals.refused}, key conflicts ${totals.conflicts}, no outcome yet ${totals.pending}`,
  );
  const notable = reports.filter((report) => report.outcome?.kind !== "validated");
  if (notable.length > 0) {
    printLine();
    printTable(
      ["batch", "rows", "outcome", "reason"],
      notable.map((report) => [
        report.batchKey,
        report.rows,
        outcomeText(report.outcome),
        report.outcome && "reason" in report.outcome ? report.outcome.reason : "",
      ]),
    );
  }
  if ((totals.pending ?? 0) > 0) {
    note(
      `${totals.pending} batches had no outcome within ${options.timeoutMs / 1000} s: are ingestion and validation running? (\`npx gyre status\`)`,
    );
  }
}
