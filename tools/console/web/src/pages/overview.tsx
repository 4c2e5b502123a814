import { useEffect, useState } from "preact/hooks";
import { Page, SERVICE_COLOURS, Status, short, Table, time, useApi } from "../lib.tsx";
import { type LoopEvent, useLive, useThrottledVersion } from "../live.ts";
import { href } from "../router.ts";

interface Overview {
  namespace: string;
  services: { service: string; live: boolean; ready: boolean; grpc?: string; detail: string }[];
  consumers: { consumer: string; pending: number; ackPending: number; redelivered: number; dlq: number }[];
  datasets: {
    dataset: string;
    specRevision: number;
    champion: { version: string; since: string; run_id: string } | null;
    lastRun: {
      run_id: string;
      outcome: string;
      version: string;
      recorded_at: string;
      trigger?: { reason: string };
    } | null;
    lastDrift: { id: string; kind: string; status: string; checked_at: string; share: number } | null;
    problems: string[];
  }[];
  events: LoopEvent[];
}

const SOURCE_SERVICE = (source: string) => source.replace(/^.*\//, "").replace(/^gyre-/, "");

export function Timeline(props: { events: LoopEvent[]; caption: string }) {
  return (
    <ol class="timeline" aria-label={props.caption}>
      {props.events.map((event) => {
        const service = SOURCE_SERVICE(event.source);
        return (
          <li key={`${event.seq}-${event.id}`} data-type={event.type}>
            <time dateTime={event.time}>{time(event.time)}</time>
            <span class="pill" style={{ background: SERVICE_COLOURS[service] ?? "#888" }}>
              {service}
            </span>
            <strong>{event.type}</strong> <span>{event.dataset}</span>
            {event.traceId && (
              <a href={href("traces", event.traceId)} aria-label={`trace of ${event.type} ${short(event.id, 8)}`}>
                trace
              </a>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export function OverviewPage() {
  const version = useThrottledVersion();
  // Health and backlogs change without events too: ask again every 10 s.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => setTick((n) => n + 1), 10_000);
    return () => window.clearInterval(timer);
  }, []);
  const loaded = useApi<Overview>("/api/overview", version + tick * 1_000_000);
  const live = useLive();
  const data = loaded.data;
  const seen = new Set(data?.events.map((event) => event.seq));
  const events = [...live.events.filter((event) => !seen.has(event.seq)), ...(data?.events ?? [])].slice(0, 60);
  return (
    <Page title="Overview">
      <Status loaded={loaded} what="the overview" />
      {data && (
        <>
          <p class="muted">namespace {data.namespace}</p>
          <h2>Services</h2>
          <ul class="cards" aria-label="Services">
            {data.services.map((service) => (
              <li
                key={service.service}
                class={`card ${service.ready ? "ok" : service.live ? "warn" : "bad"}`}
                data-service={service.service}
              >
                <span class="pill" style={{ background: SERVICE_COLOURS[service.service] }}>
                  {service.service}
                </span>
                <strong>{service.ready ? "ready" : service.live ? "not ready" : "down"}</strong>
                {service.grpc && <span class="muted">gRPC {service.grpc}</span>}
                {service.detail && <span class="muted">{service.detail}</span>}
              </li>
            ))}
          </ul>
          <h2>Datasets</h2>
          <Table
            caption="Each dataset's champion, last training and last drift"
            id="datasets"
            head={["dataset", "spec", "champion", "last training", "last drift"]}
            empty="no datasets: apply a spec with `gyre datasets apply <file>`"
            rows={data.datasets.map((entry) => [
              <a href={href("dataset", entry.dataset)} key="d">
                {entry.dataset}
              </a>,
              `r${entry.specRevision}`,
              entry.champion ? (
                <span class="champion" data-version={entry.champion.version}>
                  <a href={href("models", entry.dataset, entry.champion.version)}>v{entry.champion.version}</a> since{" "}
                  {time(entry.champion.since)}
                </span>
              ) : (
                "none"
              ),
              entry.lastRun ? (
                <span>
                  <a href={href("runs", entry.lastRun.run_id)}>{short(entry.lastRun.run_id)}</a> {entry.lastRun.outcome}
                  {Number(entry.lastRun.version) > 0 ? ` v${entry.lastRun.version}` : ""} (
                  {entry.lastRun.trigger?.reason ?? "?"}) {time(entry.lastRun.recorded_at)}
                </span>
              ) : (
                "none"
              ),
              entry.lastDrift ? (
                <a href={href("monitoring", entry.dataset)}>
                  {entry.lastDrift.kind} {entry.lastDrift.status} {time(entry.lastDrift.checked_at)}
                </a>
              ) : (
                "none"
              ),
            ])}
          />
          {data.datasets
            .flatMap((entry) => entry.problems)
            .map((problem) => (
              <p class="error" role="alert" key={problem}>
                {problem}
              </p>
            ))}
          <h2>Consumers</h2>
          <Table
            caption="Backlog and dead letters per consumer"
            id="consumers"
            head={["consumer", "pending", "ack pending", "redelivered", "dead letters"]}
            empty="no consumers yet: they appear when the services start"
            rows={data.consumers.map((entry) => [
              entry.consumer,
              entry.pending,
              entry.ackPending,
              entry.redelivered,
              <span class={entry.dlq > 0 ? "bad-text" : ""} key="dlq">
                {entry.dlq}
              </span>,
            ])}
          />
          <h2>Recent events</h2>
          <Timeline events={events} caption="The loop's recent events, newest first" />
        </>
      )}
    </Page>
  );
}
