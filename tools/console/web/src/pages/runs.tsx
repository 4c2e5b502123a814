import { useEffect, useMemo, useState } from "preact/hooks";
import {
  ApiError,
  api,
  bearer,
  Chart,
  type Loaded,
  num,
  OperatorTokenField,
  Page,
  type Series,
  Status,
  short,
  Table,
  time,
  useApi,
  useOperatorToken,
} from "../lib.tsx";
import { useThrottledVersion } from "../live.ts";
import { href } from "../router.ts";

interface RegistryRun {
  run_id: string;
  outcome: string;
  version: string;
  refusal_reason: string;
  metrics: Record<string, number>;
  trigger?: { reason: string };
  recorded_at: string;
  params: Record<string, string>;
}
interface TrainerRun {
  run_id: string;
  dataset: string;
  status: string;
  trigger?: { reason: string };
  params_json: string;
  epochs: { epoch: number; metrics: Record<string, number> }[];
  metrics: Record<string, number>;
  champion_metrics: Record<string, number>;
  snapshot_id: string;
  batches: { batch_id: string; sha256: string }[];
  train_rows: string;
  holdout_rows: string;
  backend: string;
  duration_ms: string;
  started_at: string;
  error: string;
  reproduces: string;
}
interface RunDetail {
  trained: TrainerRun;
  decided: RegistryRun | null;
  traceId: string | null;
}

function flatParams(run: TrainerRun | undefined): Record<string, string> {
  if (!run?.params_json) return {};
  const out: Record<string, string> = {};
  const walk = (value: unknown, prefix: string) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, prefix ? `${prefix}.${key}` : key);
    } else out[prefix] = JSON.stringify(value);
  };
  try {
    walk(JSON.parse(run.params_json), "");
  } catch {
    out.params = run.params_json;
  }
  return out;
}

/** One series per epoch metric (loss, val_loss, ...). */
function epochSeries(run: TrainerRun): { x: number[]; series: Series[] } {
  const names = [...new Set(run.epochs.flatMap((epoch) => Object.keys(epoch.metrics)))].sort();
  return {
    x: run.epochs.map((epoch) => epoch.epoch),
    series: names.map((name) => ({ label: name, values: run.epochs.map((epoch) => epoch.metrics[name] ?? null) })),
  };
}

interface Reproduction {
  id: string;
  runId: string;
  status: "running" | "succeeded" | "failed";
  startedAt: string;
  finishedAt?: string;
  reproductionId?: string;
  error?: string;
  answer?: {
    reproduction: { run_id: string; status: string; error: string; duration_ms: string };
    metrics: { name: string; original: number; reproduced: number; difference: number }[];
    same_backend: boolean;
    weights_identical: boolean;
  };
}

const POLL_MS = 2000;

function ReproductionOutcome(props: { job: Reproduction }) {
  const { job } = props;
  const answer = job.answer;
  return (
    <div id="reproduce-result" data-status={job.status} role="status">
      {job.status === "running" ? (
        <p aria-busy="true">Reproduction running since {time(job.startedAt)}: the trainer answers when it is done.</p>
      ) : job.reproductionId ? (
        <>
          <p class={job.status === "succeeded" ? "ok-text" : "error"}>
            Reproduction{" "}
            <a href={href("runs", job.reproductionId)} id="reproduction-link">
              {job.reproductionId}
            </a>{" "}
            {job.status}
            {answer?.reproduction.error ? `: ${answer.reproduction.error}` : ""}; weights{" "}
            {answer?.weights_identical ? "identical" : "differ"}, {answer?.same_backend ? "same" : "another"} backend.
          </p>
          <Table
            caption="Holdout metrics: original against the reproduction"
            id="reproduce-metrics"
            head={["metric", "original", "reproduced", "difference"]}
            rows={(answer?.metrics ?? []).map((metric) => [
              metric.name,
              num(metric.original),
              num(metric.reproduced),
              num(metric.difference),
            ])}
          />
        </>
      ) : (
        <p class="error">Reproduction failed: {job.error}</p>
      )}
    </div>
  );
}

/** Reproduce: the trainer trains the run again (operator token required); the page follows the job until done. */
function ReproduceControls(props: { runId: string }) {
  const [token, setToken] = useOperatorToken();
  const [job, setJob] = useState<Reproduction | undefined>();
  const [refused, setRefused] = useState<string | undefined>();
  const earlier = useApi<{ reproductions: Reproduction[] }>(
    `/api/runs/${encodeURIComponent(props.runId)}/reproductions`,
  );
  const shown = job ?? earlier.data?.reproductions[0];
  const running = shown?.status === "running";
  useEffect(() => {
    if (!running || !shown) return;
    const timer = setInterval(() => {
      api<Reproduction>(`/api/reproductions/${encodeURIComponent(shown.id)}`).then(setJob, () => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, shown?.id]);

  const start = async () => {
    setRefused(undefined);
    try {
      setJob(
        await api<Reproduction>(`/api/runs/${encodeURIComponent(props.runId)}/reproduce`, {
          method: "POST",
          headers: bearer(token),
        }),
      );
    } catch (error) {
      const status = error instanceof ApiError ? ` (HTTP ${error.status})` : "";
      setRefused(`Refused${status}: ${(error as Error).message}`);
    }
  };

  return (
    <form
      class="controls"
      aria-labelledby="reproduce-title"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <h2 id="reproduce-title">Reproduce</h2>
      <p class="muted">Trains this run again from its snapshot, parameters and seed, and compares the results.</p>
      <OperatorTokenField token={token} setToken={setToken} />
      <div class="buttons">
        <button type="submit" disabled={running}>
          Reproduce
        </button>
      </div>
      {refused && (
        <p class="error" role="alert" id="reproduce-refused">
          {refused}
        </p>
      )}
      {shown && <ReproductionOutcome job={shown} />}
    </form>
  );
}

function RunView(props: { runId: string }) {
  const loaded = useApi<RunDetail>(`/api/runs/${encodeURIComponent(props.runId)}`);
  const run = loaded.data?.trained;
  const curves = useMemo(() => (run ? epochSeries(run) : undefined), [run]);
  return (
    <Page title={`Run ${short(props.runId, 16)}`}>
      <Status loaded={loaded} what="the run" />
      {run && curves && (
        <>
          <dl class="facts">
            <dt>run</dt>
            <dd>
              <code>{run.run_id}</code>
            </dd>
            <dt>status</dt>
            <dd>{run.status}</dd>
            <dt>decision</dt>
            <dd>
              {loaded.data?.decided
                ? `${loaded.data.decided.outcome}${Number(loaded.data.decided.version) > 0 ? ` v${loaded.data.decided.version}` : ""} ${loaded.data.decided.refusal_reason}`
                : "—"}
            </dd>
            <dt>trigger</dt>
            <dd>{run.trigger?.reason ?? "—"}</dd>
            <dt>rows</dt>
            <dd>
              {run.train_rows} train, {run.holdout_rows} holdout, {run.batches.length} batches
            </dd>
            <dt>backend</dt>
            <dd>{run.backend}</dd>
            <dt>duration</dt>
            <dd>{num(Number(run.duration_ms) / 1000, 1)} s</dd>
            <dt>started</dt>
            <dd>{time(run.started_at)}</dd>
            <dt>trace</dt>
            <dd>{loaded.data?.traceId ? <a href={href("traces", loaded.data.traceId)}>Trace of this run</a> : "—"}</dd>
            {run.error && (
              <>
                <dt>error</dt>
                <dd class="error">{run.error}</dd>
              </>
            )}
            {run.reproduces && (
              <>
                <dt>reproduces</dt>
                <dd>
                  <a href={href("runs", run.reproduces)}>{run.reproduces}</a>
                </dd>
              </>
            )}
          </dl>
          <Chart
            id="epoch-curves"
            title="Loss and metrics per epoch"
            xLabel="epoch"
            x={curves.x}
            series={curves.series}
          />
          <Table
            caption="Holdout metrics (champion's on the same holdout)"
            head={["metric", "this run", "champion"]}
            rows={Object.entries(run.metrics).map(([name, value]) => [
              name,
              num(value),
              num(run.champion_metrics[name]),
            ])}
          />
          <Table
            caption="Parameters"
            id="params"
            head={["parameter", "value"]}
            rows={Object.entries(flatParams(run)).map(([name, value]) => [name, <code key="v">{value}</code>])}
          />
          <ReproduceControls key={run.run_id} runId={run.run_id} />
        </>
      )}
    </Page>
  );
}

/** Run ids share their date prefix: the end tells them apart. */
const tail = (runId: string) => `…${runId.slice(-16)}`;

function CompareView(props: { runIds: string[] }) {
  const loads: Loaded<RunDetail>[] = [];
  for (let i = 0; i < 4; i++) {
    loads.push(
      useApi<RunDetail>(props.runIds[i] ? `/api/runs/${encodeURIComponent(props.runIds[i] ?? "")}` : undefined),
    );
  }
  const runs = loads.slice(0, props.runIds.length).map((load) => load.data?.trained);
  const ready = runs.every((run) => run !== undefined) ? (runs as TrainerRun[]) : undefined;
  const params = ready?.map(flatParams) ?? [];
  const paramNames = [...new Set(params.flatMap((entry) => Object.keys(entry)))].sort();
  const metricNames = [...new Set((ready ?? []).flatMap((run) => Object.keys(run.metrics)))].sort();
  const maxEpochs = Math.max(0, ...(ready ?? []).map((run) => run.epochs.length));
  return (
    <Page title={`Compare ${props.runIds.length} runs`}>
      {loads.slice(0, props.runIds.length).map((load, i) => (
        <Status key={props.runIds[i]} loaded={load} what={`run ${props.runIds[i]}`} />
      ))}
      {ready && (
        <>
          <Chart
            id="compare-loss"
            title="Loss per epoch, run by run"
            xLabel="epoch"
            x={Array.from({ length: maxEpochs }, (_, i) => i + 1)}
            series={ready.map((run) => ({
              label: tail(run.run_id),
              values: Array.from({ length: maxEpochs }, (_, i) => run.epochs[i]?.metrics.loss ?? null),
            }))}
          />
          <Table
            caption="Metrics side by side"
            id="compare-metrics"
            head={["metric", ...ready.map((run) => tail(run.run_id))]}
            rows={metricNames.map((name) => [name, ...ready.map((run) => num(run.metrics[name]))])}
          />
          <Table
            caption="Parameters side by side (differences marked)"
            id="compare-params"
            head={["parameter", ...ready.map((run) => tail(run.run_id))]}
            rows={paramNames.map((name) => {
              const values = params.map((entry) => entry[name] ?? "—");
              const differs = new Set(values).size > 1;
              return [
                differs ? <strong key="n">{name} ≠</strong> : name,
                ...values.map((value) => (differs ? <mark key={value}>{value}</mark> : value)),
              ];
            })}
          />
        </>
      )}
    </Page>
  );
}

export function RunsPage(props: { dataset: string | undefined; runId?: string; compare?: string[] }) {
  if (props.runId) return <RunView runId={props.runId} />;
  if (props.compare) return <CompareView runIds={props.compare.filter(Boolean).slice(0, 4)} />;
  return <RunList dataset={props.dataset} />;
}

function RunList(props: { dataset: string | undefined }) {
  const live = useThrottledVersion();
  const loaded = useApi<{ runs: RegistryRun[] }>(
    props.dataset ? `/api/runs?dataset=${encodeURIComponent(props.dataset)}` : undefined,
    live,
  );
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) =>
    setPicked((old) => (old.includes(id) ? old.filter((other) => other !== id) : [...old, id].slice(-4)));
  return (
    <Page
      title={`Runs${props.dataset ? ` · ${props.dataset}` : ""}`}
      actions={
        <a
          class={`button ${picked.length < 2 ? "disabled" : ""}`}
          href={picked.length >= 2 ? href("compare", picked.join(",")) : undefined}
          aria-disabled={picked.length < 2}
        >
          Compare {picked.length} selected
        </a>
      }
    >
      <Status loaded={loaded} what="the runs" />
      <Table
        caption="Training runs, newest first; tick two to four to compare"
        id="runs"
        head={["compare", "run", "outcome", "version", "trigger", "metrics", "reason", "recorded"]}
        rows={(loaded.data?.runs ?? []).map((run) => [
          <input
            key="c"
            type="checkbox"
            aria-label={`compare ${run.run_id}`}
            checked={picked.includes(run.run_id)}
            onChange={() => toggle(run.run_id)}
          />,
          <a href={href("runs", run.run_id)} key="r">
            {short(run.run_id, 20)}
          </a>,
          run.outcome,
          Number(run.version) > 0 ? `v${run.version}` : "—",
          run.trigger?.reason ?? "—",
          Object.entries(run.metrics)
            .map(([name, value]) => `${name} ${num(value)}`)
            .join(", "),
          run.refusal_reason,
          time(run.recorded_at),
        ])}
      />
    </Page>
  );
}
