import { useState } from "preact/hooks";
import {
  ApiError,
  api,
  bearer,
  num,
  OperatorTokenField,
  Page,
  Status,
  short,
  Table,
  time,
  useApi,
  useOperatorToken,
} from "../lib.tsx";
import { useThrottledVersion } from "../live.ts";
import { href } from "../router.ts";

interface ModelVersion {
  version: string;
  run_id: string;
  status: string;
  aliases: string[];
  metrics: Record<string, number>;
  champion_metrics: Record<string, number>;
  compared_with_version: string;
  decision_reason: string;
  snapshot_id: string;
  created_at: string;
}
interface Model {
  dataset: string;
  versions: ModelVersion[];
  aliases: Record<string, string>;
  audit: {
    id: string;
    action: string;
    from_version: string;
    to_version: string;
    actor: string;
    reason: string;
    at: string;
  }[];
}
interface Lineage {
  version: string;
  run_id: string;
  snapshot_id: string;
  spec_revision: string;
  code_version: string;
  backend: string;
  artifact_key: string;
  trigger?: { reason: string; event_ids: string[] };
  batches: { batch_id: string; sha256: string }[];
}

function metricsText(metrics: Record<string, number>): string {
  return Object.entries(metrics)
    .map(([name, value]) => `${name} ${num(value)}`)
    .join(", ");
}

function LineageGraph(props: { dataset: string; version: string }) {
  const loaded = useApi<Lineage>(`/api/models/${encodeURIComponent(props.dataset)}/versions/${props.version}/lineage`);
  const lineage = loaded.data;
  const run = useApi<{ traceId: string | null }>(
    lineage ? `/api/runs/${encodeURIComponent(lineage.run_id)}` : undefined,
  );
  return (
    <section aria-labelledby="lineage-title">
      <h2 id="lineage-title">Lineage of v{props.version}</h2>
      <Status loaded={loaded} what="the lineage" />
      {lineage && (
        <ol class="lineage" aria-label="version → run → snapshot → batches → raw sha256">
          <li class="node">
            <span class="kind">version</span>
            <strong>v{lineage.version}</strong>
            <span class="muted">{lineage.backend}</span>
          </li>
          <li class="node">
            <span class="kind">run</span>
            <a href={href("runs", lineage.run_id)}>{short(lineage.run_id, 20)}</a>
            <span class="muted">trigger {lineage.trigger?.reason ?? "?"}</span>
            {run.data?.traceId && <a href={href("traces", run.data.traceId)}>trace of the run</a>}
          </li>
          <li class="node">
            <span class="kind">snapshot</span>
            <code>{short(lineage.snapshot_id, 20)}</code>
            <span class="muted">spec r{lineage.spec_revision}</span>
          </li>
          <li class="node batches">
            <span class="kind">batches ({lineage.batches.length}) → raw sha256</span>
            <ul>
              {lineage.batches.map((batch) => (
                <li key={batch.batch_id}>
                  <code class="batch">{short(batch.batch_id, 18)}</code> →{" "}
                  <code class="sha256" title={batch.sha256}>
                    {batch.sha256}
                  </code>
                </li>
              ))}
            </ul>
          </li>
        </ol>
      )}
    </section>
  );
}

function ChampionControls(props: { dataset: string; versions: ModelVersion[]; onChanged: () => void }) {
  const [token, setToken] = useOperatorToken();
  const [version, setVersion] = useState(props.versions[0]?.version ?? "");
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();

  const send = async (action: "promote" | "rollback") => {
    try {
      const change = await api<{ version: string; previous_version: string; audit_id: string }>(
        `/api/models/${encodeURIComponent(props.dataset)}/${action}`,
        {
          method: "POST",
          headers: { "content-type": "application/json", ...bearer(token) },
          body: JSON.stringify(action === "promote" ? { version: Number(version), reason } : { reason }),
        },
      );
      setResult({
        ok: true,
        text: `${action === "promote" ? "Promoted" : "Rolled back"}: champion v${change.previous_version} → v${change.version} (audit #${change.audit_id})`,
      });
      props.onChanged();
    } catch (error) {
      const status = error instanceof ApiError ? ` (HTTP ${error.status})` : "";
      setResult({ ok: false, text: `Refused${status}: ${(error as Error).message}` });
    }
  };

  return (
    <form
      class="controls"
      aria-labelledby="controls-title"
      onSubmit={(e) => {
        e.preventDefault();
        void send("promote");
      }}
    >
      <h2 id="controls-title">Change the champion</h2>
      <OperatorTokenField token={token} setToken={setToken} />
      <label>
        Version
        <select name="version" value={version} onChange={(e) => setVersion((e.target as HTMLSelectElement).value)}>
          {props.versions.map((entry) => (
            <option key={entry.version} value={entry.version}>
              v{entry.version} ({entry.status})
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason
        <input
          type="text"
          name="reason"
          required
          minLength={3}
          value={reason}
          onInput={(e) => setReason((e.target as HTMLInputElement).value)}
        />
      </label>
      <div class="buttons">
        <button type="submit">Promote</button>
        <button
          type="button"
          onClick={() => {
            void send("rollback");
          }}
        >
          Roll back
        </button>
      </div>
      {result && (
        <p class={result.ok ? "ok-text" : "error"} role={result.ok ? "status" : "alert"} id="change-result">
          {result.text}
        </p>
      )}
    </form>
  );
}

export function ModelsPage(props: { dataset: string | undefined; version: string | undefined }) {
  const live = useThrottledVersion();
  const models = useApi<{
    models: { dataset: string; version_count: string; champion_version: string; latest_version: string }[];
  }>("/api/models", live);
  const model = useApi<Model>(props.dataset ? `/api/models/${encodeURIComponent(props.dataset)}` : undefined, live);
  const data = model.data;
  const lineageVersion = props.version ?? data?.aliases.champion ?? data?.versions[0]?.version;
  return (
    <Page title={props.dataset ? `Models · ${props.dataset}` : "Models"}>
      <Status loaded={models} what="the models" />
      <Table
        caption="Registered models"
        head={["dataset", "versions", "latest", "champion"]}
        rows={(models.data?.models ?? []).map((entry) => [
          <a href={href("models", entry.dataset)} key="d">
            {entry.dataset}
          </a>,
          entry.version_count,
          `v${entry.latest_version}`,
          Number(entry.champion_version) > 0 ? `v${entry.champion_version}` : "none",
        ])}
      />
      {props.dataset && <Status loaded={model} what={`the versions of ${props.dataset}`} />}
      {data && (
        <>
          <h2>Versions of {data.dataset}</h2>
          <p>
            Aliases:{" "}
            {Object.entries(data.aliases).map(([alias, version]) => (
              <span class="alias" key={alias} data-alias={alias} data-version={version}>
                {alias} → v{version}{" "}
              </span>
            ))}
          </p>
          <Table
            caption="Versions and the registry's decision on each"
            id="versions"
            head={["version", "status", "aliases", "metrics", "champion's metrics then", "decision", "run", "created"]}
            rows={data.versions.map((entry) => [
              <a href={href("models", data.dataset, entry.version)} key="v">
                v{entry.version}
              </a>,
              entry.status,
              entry.aliases.join(", "),
              metricsText(entry.metrics),
              Number(entry.compared_with_version) > 0
                ? `v${entry.compared_with_version}: ${metricsText(entry.champion_metrics)}`
                : "—",
              entry.decision_reason,
              <a href={href("runs", entry.run_id)} key="r">
                {short(entry.run_id)}
              </a>,
              time(entry.created_at),
            ])}
          />
          {lineageVersion && <LineageGraph dataset={data.dataset} version={lineageVersion} />}
          <ChampionControls dataset={data.dataset} versions={data.versions} onChanged={model.reload} />
          <Table
            caption="Audit: every change of champion, who and why"
            id="audit"
            head={["#", "action", "from", "to", "actor", "reason", "at"]}
            rows={[...data.audit]
              .reverse()
              .map((entry) => [
                entry.id,
                entry.action,
                Number(entry.from_version) > 0 ? `v${entry.from_version}` : "—",
                `v${entry.to_version}`,
                entry.actor,
                entry.reason,
                time(entry.at),
              ])}
          />
        </>
      )}
    </Page>
  );
}
