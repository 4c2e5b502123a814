import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { useApi } from "./lib.tsx";
import { DatasetContext, LiveContext, useLiveEvents } from "./live.ts";
import { DatasetPage } from "./pages/dataset.tsx";
import { ModelsPage } from "./pages/models.tsx";
import { MonitoringPage } from "./pages/monitoring.tsx";
import { OverviewPage } from "./pages/overview.tsx";
import { RunsPage } from "./pages/runs.tsx";
import { TracesPage } from "./pages/traces.tsx";
import { href, useRoute } from "./router.ts";
import "./style.css";

const PAGES = [
  { path: "", label: "Overview" },
  { path: "models", label: "Models" },
  { path: "runs", label: "Runs" },
  { path: "monitoring", label: "Monitoring" },
  { path: "traces", label: "Traces" },
  { path: "dataset", label: "Dataset" },
];

function App() {
  const route = useRoute();
  const live = useLiveEvents();
  const datasets = useApi<{ datasets: string[] }>("/api/datasets", live.version > 0 ? 1 : 0);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const dataset = chosen ?? datasets.data?.datasets[0];
  const [page = "", ...rest] = route;
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    main.current?.querySelector<HTMLElement>("h1")?.focus();
  }, [page]);

  let content = <OverviewPage />;
  if (page === "models") content = <ModelsPage dataset={rest[0] ?? dataset} version={rest[1]} />;
  else if (page === "runs") content = <RunsPage dataset={dataset} runId={rest[0]} />;
  else if (page === "compare") content = <RunsPage dataset={dataset} compare={(rest[0] ?? "").split(",")} />;
  else if (page === "monitoring") content = <MonitoringPage dataset={rest[0] ?? dataset} />;
  else if (page === "traces") content = <TracesPage traceId={rest[0]} />;
  else if (page === "dataset") content = <DatasetPage dataset={rest[0] ?? dataset} />;

  return (
    <LiveContext.Provider value={live}>
      <DatasetContext.Provider value={dataset}>
        <button type="button" class="skip" onClick={() => main.current?.focus()}>
          Skip to content
        </button>
        <header class="top">
          <span class="brand">Gyre console</span>
          <nav aria-label="Pages">
            <ul>
              {PAGES.map((item) => (
                <li key={item.path}>
                  <a href={href(item.path)} aria-current={page === item.path ? "page" : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <label class="dataset-picker">
            Dataset{" "}
            <select
              value={dataset ?? ""}
              onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}
              aria-label="Dataset"
            >
              {(datasets.data?.datasets ?? []).map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
          <span class={`live ${live.connected ? "on" : "off"}`} role="status" aria-live="polite">
            {live.connected ? "● live" : "○ offline"}
          </span>
        </header>
        <main id="main" ref={main} tabIndex={-1}>
          {content}
        </main>
      </DatasetContext.Provider>
    </LiveContext.Provider>
  );
}

const root = document.getElementById("app");
if (root) render(<App />, root);
