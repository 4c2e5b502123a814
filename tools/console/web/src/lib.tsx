import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export type Json = Record<string, unknown>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T = Json>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, init);
  const body = (await response.json().catch(() => ({}))) as T & { error?: string };
  if (!response.ok) throw new ApiError(response.status, body.error ?? `HTTP ${response.status}`);
  return body;
}

export interface Loaded<T> {
  data?: T;
  error?: string;
  reload: () => void;
}

/** Fetches `path` (again when it or `version` changes); `undefined` path waits. */
export function useApi<T = Json>(path: string | undefined, version = 0): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string }>({});
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!path) return;
    let live = true;
    api<T>(path)
      .then((data) => live && setState({ data }))
      .catch((error: Error) => live && setState((old) => ({ ...old, error: error.message })));
    return () => {
      live = false;
    };
  }, [path, tick, version]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Gyre console`;
  }, [title]);
}

export function Page(props: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  usePageTitle(props.title);
  return (
    <section aria-labelledby="page-title">
      <header class="page-header">
        <h1 id="page-title" tabIndex={-1}>
          {props.title}
        </h1>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

export function Status<T>(props: { loaded: Loaded<T>; what: string }) {
  if (props.loaded.error) {
    return (
      <p class="error" role="alert">
        Could not load {props.what}: {props.loaded.error}
      </p>
    );
  }
  if (props.loaded.data === undefined) return <p aria-busy="true">Loading {props.what}…</p>;
  return null;
}

export function time(value: unknown): string {
  if (!value) return "—";
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString().replace("T", " ").slice(0, 19);
}

export function num(value: unknown, digits = 4): string {
  const n = Number(value);
  if (value === undefined || value === null || Number.isNaN(n)) return "—";
  return Number.isInteger(n) ? String(n) : n.toFixed(digits);
}

export function short(id: unknown, length = 12): string {
  const text = String(id ?? "");
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

export function Table(props: {
  caption: string;
  head: string[];
  rows: ComponentChildren[][];
  empty?: string;
  id?: string;
}) {
  return (
    <div class="table-wrap">
      <table id={props.id}>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((cell) => (
              <th scope="col" key={cell}>
                {cell}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.length === 0 ? (
            <tr>
              <td colSpan={props.head.length} class="muted">
                {props.empty ?? "nothing yet"}
              </td>
            </tr>
          ) : (
            props.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={j}>{cell}</td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Service colours, shared by the waterfall, the timeline and the legend. */
export const SERVICE_COLOURS: Record<string, string> = {
  ingestion: "#4e79a7",
  validation: "#f28e2b",
  "feature-store": "#59a14f",
  trainer: "#e15759",
  registry: "#b07aa1",
  serving: "#76b7b2",
  monitoring: "#edc948",
};
const PALETTE = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"];

export interface Series {
  label: string;
  values: (number | null)[];
}

export interface Marker {
  x: number;
  label: string;
  colour: string;
}

/**
 * A uPlot line chart. The data is also in a table under the chart (screen readers, and the browser test), and the
 * figure carries the number of points as data-points.
 */
export function Chart(props: {
  id: string;
  title: string;
  xLabel: string;
  x: number[];
  xText?: string[];
  series: Series[];
  markers?: Marker[];
  height?: number;
}) {
  const target = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const markers = props.markers ?? [];
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth || 640),
        height: props.height ?? 240,
        scales: { x: { time: false } },
        // Whole numbers on x (epochs, batches): no 1.5.
        axes: [{ label: props.xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, {}],
        series: [
          { label: props.xLabel },
          ...props.series.map((series, i) => ({
            label: series.label,
            stroke: PALETTE[i % PALETTE.length],
            width: 2,
            points: { show: true, size: 5 },
          })),
        ],
        hooks: {
          draw: [
            (u: uPlot) => {
              const ctx = u.ctx;
              const labelled = new Map<number, number>();
              for (const marker of markers) {
                // Markers on the same batch stack their labels instead of writing over each other.
                const row = labelled.get(marker.x) ?? 0;
                labelled.set(marker.x, row + 1);
                const left = u.valToPos(marker.x, "x", true);
                ctx.save();
                ctx.strokeStyle = marker.colour;
                ctx.setLineDash([6, 4]);
                ctx.lineWidth = 2;
                ctx.beginPath();
                ctx.moveTo(left, u.bbox.top);
                ctx.lineTo(left, u.bbox.top + u.bbox.height);
                ctx.stroke();
                ctx.fillStyle = marker.colour;
                ctx.font = "12px sans-serif";
                ctx.textAlign = left > u.bbox.left + u.bbox.width * 0.8 ? "right" : "left";
                ctx.fillText(marker.label, left + (ctx.textAlign === "right" ? -4 : 4), u.bbox.top + 14 + row * 14);
                ctx.restore();
              }
            },
          ],
        },
      },
      [props.x, ...props.series.map((series) => series.values)] as uPlot.AlignedData,
      element,
    );
    return () => plot.destroy();
  }, [props.x, props.series, props.markers, props.xLabel, props.height]);
  return (
    <figure class="chart" id={props.id} data-points={props.x.length} aria-labelledby={`${props.id}-title`}>
      <figcaption id={`${props.id}-title`}>{props.title}</figcaption>
      <div ref={target} role="img" aria-label={`${props.title}: ${props.x.length} points`} />
      {props.markers && props.markers.length > 0 && (
        <ul class="markers" aria-label="markers">
          {props.markers.map((marker) => (
            <li key={`${marker.x}-${marker.label}`}>
              <span class="swatch" style={{ background: marker.colour }} /> {marker.label} at {props.xLabel} {marker.x}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>Data ({props.x.length} points)</summary>
        <Table
          caption={props.title}
          head={[props.xLabel, ...props.series.map((series) => series.label)]}
          rows={props.x.map((x, i) => [
            props.xText?.[i] ?? String(x),
            ...props.series.map((series) => num(series.values[i])),
          ])}
        />
      </details>
    </figure>
  );
}

const TOKEN_KEY = "gyre-operator-token";

/** The operator token typed into the page, kept for the browser tab (sessionStorage) so every form shares it. */
export function useOperatorToken(): [string, (token: string) => void] {
  const [token, setToken] = useState(() => sessionStorage.getItem(TOKEN_KEY) ?? "");
  return [
    token,
    (next: string) => {
      sessionStorage.setItem(TOKEN_KEY, next);
      setToken(next);
    },
  ];
}

/** The Authorization header for the token, none without one (the console then answers 401). */
export function bearer(token: string): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}

/** The token field of an operator form, with the read-only notice when the console has no token configured. */
export function OperatorTokenField(props: { token: string; setToken: (token: string) => void }) {
  const session = useApi<{ writable: boolean }>("/api/session");
  return (
    <>
      {session.data && !session.data.writable && (
        <p class="muted">This console is read-only: it was started without GYRE_OPERATOR_TOKEN.</p>
      )}
      <label>
        Operator token
        <input
          type="password"
          name="token"
          autoComplete="off"
          value={props.token}
          onInput={(e) => props.setToken((e.target as HTMLInputElement).value)}
        />
      </label>
    </>
  );
}
