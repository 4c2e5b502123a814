import { useMemo } from "preact/hooks";
import { Chart, type Marker, num, Page, Status, short, Table, time, useApi } from "../lib.tsx";
import { useThrottledVersion } from "../live.ts";
import { href } from "../router.ts";

interface Point {
  batch_id: string;
  model_version: string;
  metric: string;
  value: number;
  champion_holdout_value: number;
  rows: string;
  performance_drift: boolean;
  measured_at: string;
}
interface DriftEvent {
  id: string;
  kind: string;
  status: string;
  window_rows: string;
  model_version: string;
  share: number;
  share_threshold: number;
  correction: string;
  features: {
    name: string;
    test: string;
    statistic: number;
    p_value: number;
    threshold: number;
    psi: number;
    jsd: number;
    drifted: boolean;
  }[];
  report_key: string;
  checked_at: string;
  suppressed_by: string;
}
interface Retrain {
  version: string;
  previous_version: string;
  run_id: string;
  promoted_at: string;
  triggered_by_drift: boolean;
  after_drift_kind: string;
  seconds_after_drift: number;
}
interface Monitoring {
  metrics: { points: Point[] };
  drift: { events: DriftEvent[] };
  retrains: { retrains: Retrain[] };
}

/** The index (1-based) of the first batch measured at or after `at`; the last one when none is. */
function batchIndexAt(points: Point[], at: string): number {
  const when = Date.parse(at);
  const index = points.findIndex((point) => Date.parse(point.measured_at) >= when);
  return index === -1 ? points.length : index + 1;
}

export function MonitoringPage(props: { dataset: string | undefined }) {
  const live = useThrottledVersion();
  const dataset = props.dataset;
  const loaded = useApi<Monitoring>(dataset ? `/api/monitoring/${encodeURIComponent(dataset)}` : undefined, live);
  const data = loaded.data;
  const chart = useMemo(() => {
    if (!data) return undefined;
    const points = [...data.metrics.points].sort((a, b) => Date.parse(a.measured_at) - Date.parse(b.measured_at));
    const markers: Marker[] = [
      ...data.drift.events
        .filter((event) => event.status !== "no_drift")
        .map((event) => ({
          x: batchIndexAt(points, event.checked_at),
          label: `drift (${event.kind})`,
          colour: "#d62728",
        })),
      ...data.retrains.retrains.map((retrain) => ({
        x: batchIndexAt(points, retrain.promoted_at),
        label: `v${retrain.version} promoted`,
        colour: "#2ca02c",
      })),
    ];
    return {
      metric: points[0]?.metric ?? "metric",
      x: points.map((_, i) => i + 1),
      xText: points.map((point, i) => `${i + 1} (${short(point.batch_id, 10)}, v${point.model_version})`),
      series: [
        {
          label: `${points[0]?.metric ?? "metric"} on the batch (prequential)`,
          values: points.map((point) => point.value),
        },
        { label: "champion's holdout value", values: points.map((point) => point.champion_holdout_value) },
      ],
      markers,
    };
  }, [data]);
  return (
    <Page title={`Monitoring${dataset ? ` · ${dataset}` : ""}`}>
      <Status loaded={loaded} what="monitoring" />
      {data && chart && (
        <>
          <Chart
            id="prequential"
            title={`${chart.metric} over scored batches, with drift and retrain markers`}
            xLabel="batch"
            x={chart.x}
            xText={chart.xText}
            series={chart.series}
            markers={chart.markers}
          />
          <h2>Retrains</h2>
          <Table
            caption="Champions promoted, and the drift that led to them"
            id="retrains"
            head={["version", "previous", "run", "after drift", "seconds after drift", "promoted"]}
            rows={data.retrains.retrains.map((retrain) => [
              <a href={href("models", dataset ?? "", retrain.version)} key="v">
                v{retrain.version}
              </a>,
              Number(retrain.previous_version) > 0 ? `v${retrain.previous_version}` : "—",
              <a href={href("runs", retrain.run_id)} key="r">
                {short(retrain.run_id)}
              </a>,
              retrain.triggered_by_drift ? retrain.after_drift_kind : "no",
              retrain.triggered_by_drift ? num(retrain.seconds_after_drift, 1) : "—",
              time(retrain.promoted_at),
            ])}
          />
          <h2>Drift checks</h2>
          {data.drift.events.length === 0 && <p class="muted">no drift checks yet</p>}
          {data.drift.events.map((event) => (
            <article class="drift" key={event.id} data-status={event.status} aria-labelledby={`drift-${event.id}`}>
              <h3 id={`drift-${event.id}`}>
                {event.kind} · {event.status} · {time(event.checked_at)}
              </h3>
              <p>
                {num(event.share * 100, 1)}% of features drifted (threshold {num(event.share_threshold * 100, 1)}%),{" "}
                {event.window_rows} rows, champion v{event.model_version}, correction {event.correction || "none"}
                {event.suppressed_by && `, suppressed by ${event.suppressed_by}`}.{" "}
                {event.report_key && (
                  <a
                    href={`/api/monitoring/${encodeURIComponent(dataset ?? "")}/drift/${encodeURIComponent(event.id)}/report`}
                    target="_blank"
                    rel="noopener"
                  >
                    HTML drift report
                  </a>
                )}
              </p>
              {event.features.length > 0 && (
                <Table
                  caption={`Per-feature tests of check ${short(event.id, 10)}`}
                  head={["feature", "test", "statistic", "p-value", "threshold", "PSI", "JS", "drifted"]}
                  rows={event.features.map((feature) => [
                    feature.name,
                    feature.test,
                    num(feature.statistic),
                    num(feature.p_value),
                    num(feature.threshold),
                    num(feature.psi),
                    num(feature.jsd),
                    feature.drifted ? <strong key="d">yes</strong> : "no",
                  ])}
                />
              )}
            </article>
          ))}
        </>
      )}
    </Page>
  );
}
