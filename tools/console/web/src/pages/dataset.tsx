import { useState } from "preact/hooks";
import { num, Page, Status, short, Table, time, useApi } from "../lib.tsx";
import { useThrottledVersion } from "../live.ts";
import { href } from "../router.ts";
import { FeatureReference } from "./features.tsx";

interface Revision {
  revision: number;
  spec: unknown;
  digest: string;
  appliedAt: string;
  actor?: string;
}
interface Batch {
  batchId: string;
  batchKey?: string;
  sha256?: string;
  rows?: number;
  ingestedAt?: string;
  status?: string;
  validRows?: number;
  invalidRows?: number;
  reason?: string;
  anomalies?: { kind: string; column?: string; message?: string; rows?: number }[];
  statistics?: Record<
    string,
    {
      mean?: number | null;
      std?: number | null;
      min?: unknown;
      max?: unknown;
      nullCount?: number;
      count?: number;
      categories?: Record<string, number>;
    }
  >;
  traceId?: string;
}
interface DatasetView {
  dataset: string;
  revisions: Revision[];
  batches: Batch[];
}

type DiffLine = { kind: " " | "+" | "-"; text: string };

/** Line diff by longest common subsequence (spec texts are a few hundred lines at most). */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = table[i] as number[];
      row[j] =
        a[i] === b[j]
          ? ((table[i + 1] as number[])[j + 1] ?? 0) + 1
          : Math.max((table[i + 1] as number[])[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push({ kind: " ", text: a[i] ?? "" });
      i++;
      j++;
    } else if (((table[i + 1] as number[])[j] ?? 0) >= ((table[i] as number[])[j + 1] ?? 0))
      out.push({ kind: "-", text: a[i++] ?? "" });
    else out.push({ kind: "+", text: b[j++] ?? "" });
  }
  while (i < a.length) out.push({ kind: "-", text: a[i++] ?? "" });
  while (j < b.length) out.push({ kind: "+", text: b[j++] ?? "" });
  return out;
}

const specLines = (revision: Revision | undefined) => JSON.stringify(revision?.spec ?? {}, null, 2).split("\n");

function SpecHistory(props: { revisions: Revision[] }) {
  const newest = props.revisions[props.revisions.length - 1]?.revision ?? 1;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const find = (revision: number) => props.revisions.find((entry) => entry.revision === revision);
  const diff = diffLines(specLines(find(from)), specLines(find(to)));
  const changed = diff.filter((line) => line.kind !== " ").length;
  const picker = (label: string, value: number, set: (n: number) => void) => (
    <label>
      {label}{" "}
      <select value={value} onChange={(e) => set(Number((e.target as HTMLSelectElement).value))}>
        {props.revisions.map((entry) => (
          <option key={entry.revision} value={entry.revision}>
            r{entry.revision}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="spec-title">
      <h2 id="spec-title">Spec and its revisions</h2>
      <Table
        caption="Revisions of the dataset spec"
        head={["revision", "applied", "by", "digest"]}
        rows={[...props.revisions]
          .reverse()
          .map((entry) => [
            `r${entry.revision}`,
            time(entry.appliedAt),
            entry.actor ?? "—",
            <code key="d">{short(entry.digest, 16)}</code>,
          ])}
      />
      <div class="diff-pickers">
        {picker("From", from, setFrom)} {picker("to", to, setTo)} <span class="muted">{changed} lines differ</span>
      </div>
      <h3 id="diff-title">
        Diff r{from} → r{to}
      </h3>
      <pre class="diff" aria-describedby="diff-title">
        {diff.map((line, i) => (
          <span key={i} class={line.kind === "+" ? "add" : line.kind === "-" ? "del" : ""}>
            {line.kind} {line.text}
            {"\n"}
          </span>
        ))}
      </pre>
    </section>
  );
}

export function DatasetPage(props: { dataset: string | undefined }) {
  const live = useThrottledVersion();
  const loaded = useApi<DatasetView>(
    props.dataset ? `/api/datasets/${encodeURIComponent(props.dataset)}` : undefined,
    live,
  );
  const data = loaded.data;
  const latest = data?.batches.find((batch) => batch.statistics);
  return (
    <Page title={`Dataset${props.dataset ? ` · ${props.dataset}` : ""}`}>
      <Status loaded={loaded} what="the dataset" />
      {data && (
        <>
          <SpecHistory revisions={data.revisions} />
          <h2>Batches</h2>
          <Table
            caption="Batches, newest first: ingested, validated or rejected with the reason"
            id="batches"
            head={["batch", "key", "rows", "status", "valid", "invalid", "reason / anomalies", "raw sha256", "trace"]}
            rows={data.batches.map((batch) => [
              <code key="b">{short(batch.batchId, 14)}</code>,
              batch.batchKey ?? "—",
              batch.rows ?? "—",
              batch.status ?? "ingested",
              batch.validRows ?? "—",
              batch.invalidRows ?? "—",
              [
                batch.reason,
                ...(batch.anomalies ?? []).map(
                  (anomaly) =>
                    `${anomaly.kind}${anomaly.column ? ` ${anomaly.column}` : ""}${anomaly.message ? `: ${anomaly.message}` : ""}`,
                ),
              ]
                .filter(Boolean)
                .join("; ") || "—",
              <code key="s" title={batch.sha256}>
                {short(batch.sha256, 12)}
              </code>,
              batch.traceId ? (
                <a href={href("traces", batch.traceId)} key="t" aria-label={`trace of batch ${batch.batchId}`}>
                  trace
                </a>
              ) : (
                "—"
              ),
            ])}
          />
          <h2>Feature statistics</h2>
          {latest?.statistics ? (
            <Table
              caption={`Feature statistics of the newest validated batch (${latest.batchKey ?? latest.batchId})`}
              id="statistics"
              head={["feature", "count", "nulls", "mean", "std", "min", "max", "most frequent"]}
              rows={Object.entries(latest.statistics).map(([name, stats]) => [
                name,
                stats.count ?? "—",
                stats.nullCount ?? "—",
                num(stats.mean),
                num(stats.std),
                typeof stats.min === "number" ? num(stats.min) : String(stats.min ?? "—"),
                typeof stats.max === "number" ? num(stats.max) : String(stats.max ?? "—"),
                Object.entries(stats.categories ?? {})
                  .sort((a, b) => b[1] - a[1])
                  .slice(0, 3)
                  .map(([category, count]) => `${category} (${count})`)
                  .join(", ") || "—",
              ])}
            />
          ) : (
            <p class="muted">no validated batch yet</p>
          )}
          <FeatureReference dataset={data.dataset} version={live} />
        </>
      )}
    </Page>
  );
}
