import { Page, SERVICE_COLOURS, Status, short, Table, time, useApi } from "../lib.tsx";
import { href } from "../router.ts";

interface TraceSummary {
  traceId: string;
  root: string;
  start: number;
  duration: number;
  spans: number;
  services: string[];
}
interface Span {
  traceId: string;
  spanId: string;
  parentId?: string;
  service: string;
  name: string;
  start: number;
  duration: number;
  error: boolean;
}
interface TraceView {
  traceId: string;
  traces: string[];
  spans: Span[];
  services: string[];
  jaegerUi?: string;
}

const ms = (micros: number) => `${(micros / 1000).toFixed(micros < 10_000 ? 2 : 0)} ms`;

function Legend(props: { services: string[] }) {
  return (
    <ul class="legend" aria-label="Services">
      {props.services.map((service) => (
        <li key={service} data-service={service}>
          <span class="swatch" style={{ background: SERVICE_COLOURS[service] ?? "#888" }} /> {service}
        </li>
      ))}
    </ul>
  );
}

function Waterfall(props: { traceId: string }) {
  const loaded = useApi<TraceView>(`/api/traces/${encodeURIComponent(props.traceId)}`);
  const trace = loaded.data;
  const first = trace ? Math.min(...trace.spans.map((span) => span.start)) : 0;
  const last = trace ? Math.max(...trace.spans.map((span) => span.start + span.duration)) : 1;
  const total = Math.max(1, last - first);
  const depth = new Map<string, number>();
  for (const span of trace?.spans ?? [])
    depth.set(span.spanId, span.parentId ? (depth.get(span.parentId) ?? 0) + 1 : 0);
  return (
    <Page title={`Trace ${short(props.traceId, 16)}`}>
      <Status loaded={loaded} what="the trace" />
      {trace && (
        <>
          <p>
            {trace.spans.length} spans in {trace.traces.length} linked trace{trace.traces.length === 1 ? "" : "s"},{" "}
            {trace.services.length} services, {ms(total)} from first to last.{" "}
            {trace.jaegerUi && <a href={trace.jaegerUi}>Open in the Jaeger UI</a>}
          </p>
          <Legend services={trace.services} />
          <ol class="waterfall" aria-label="Spans, by start time">
            {trace.spans.map((span) => (
              <li key={span.spanId} data-service={span.service} class={span.error ? "error-span" : ""}>
                <span class="span-label" style={{ paddingLeft: `${(depth.get(span.spanId) ?? 0) * 10}px` }}>
                  <span class="pill" style={{ background: SERVICE_COLOURS[span.service] ?? "#888" }}>
                    {span.service}
                  </span>{" "}
                  {span.name}
                </span>
                <span class="span-track">
                  <span
                    class="span-bar"
                    title={`${span.service}: ${span.name}, ${ms(span.duration)}`}
                    style={{
                      left: `${((span.start - first) / total) * 100}%`,
                      width: `${Math.max(0.3, (span.duration / total) * 100)}%`,
                      background: SERVICE_COLOURS[span.service] ?? "#888",
                    }}
                  />
                </span>
                <span class="span-duration">{ms(span.duration)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </Page>
  );
}

export function TracesPage(props: { traceId: string | undefined }) {
  const loaded = useApi<TraceSummary[]>(props.traceId ? undefined : "/api/traces");
  if (props.traceId) return <Waterfall traceId={props.traceId} />;
  return (
    <Page title="Traces">
      <Status loaded={loaded} what="the traces" />
      <Table
        caption="The loop's recent traces (Jaeger), newest first"
        id="traces"
        head={["trace", "root span", "services", "spans", "duration", "started"]}
        rows={(loaded.data ?? []).map((trace) => [
          <a href={href("traces", trace.traceId)} key="t">
            {short(trace.traceId, 16)}
          </a>,
          trace.root,
          <Legend services={trace.services} key="s" />,
          trace.spans,
          ms(trace.duration),
          time(new Date(trace.start / 1000).toISOString()),
        ])}
      />
    </Page>
  );
}
