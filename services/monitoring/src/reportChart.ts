import type { FeatureChart } from "./windowCheck.ts";

/** Bars drawn per chart at most; the rest of a categorical feature's categories are named as a count. */
export const MAX_CHART_BARS = 40;

const WIDTH = 640;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 12, bottom: 44, left: 44 };

/** Text for HTML and SVG, element content and attribute values alike. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** A number for people: 4 significant digits, exponent form for the very small and very large. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e6) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

interface Bin {
  label: string;
  reference: number;
  current: number;
}

function binsOf(chart: FeatureChart): { bins: Bin[]; hidden: number } {
  if (chart.kind === "numeric") {
    const bins = chart.reference.map((reference, index) => ({
      label: `[${formatNumber(chart.edges[index] as number)}, ${formatNumber(chart.edges[index + 1] as number)}${index + 2 === chart.edges.length ? "]" : ")"}`,
      reference,
      current: chart.current[index] as number,
    }));
    return { bins, hidden: 0 };
  }
  const all = chart.categories.map((label, index) => ({
    label,
    reference: chart.reference[index] as number,
    current: chart.current[index] as number,
  }));
  if (all.length <= MAX_CHART_BARS) return { bins: all, hidden: 0 };
  const largest = [...all]
    .sort((a, b) => Math.max(b.reference, b.current) - Math.max(a.reference, a.current))
    .slice(0, MAX_CHART_BARS);
  const kept = new Set(largest);
  return { bins: all.filter((bin) => kept.has(bin)), hidden: all.length - MAX_CHART_BARS };
}

/**
 * Reference and current shares side by side per bin (numeric: the shared equal-width bins; categorical: each
 * category), as a self-contained inline SVG; every bar has a tooltip with its bin and both shares.
 */
export function histogramSvg(feature: string, chart: FeatureChart): string {
  const { bins, hidden } = binsOf(chart);
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const top = Math.max(...bins.flatMap((bin) => [bin.reference, bin.current]), 1e-9);
  const slot = plotWidth / Math.max(bins.length, 1);
  const barWidth = Math.max(slot * 0.4, 0.5);
  const y = (share: number) => MARGIN.top + plotHeight * (1 - share / top);
  const bars = bins.flatMap((bin, index) => {
    const x = MARGIN.left + index * slot + slot * 0.1;
    const tip = escapeHtml(`${bin.label}: reference ${percent(bin.reference)}, current ${percent(bin.current)}`);
    return [
      `<rect class="ref" x="${x.toFixed(1)}" y="${y(bin.reference).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(MARGIN.top + plotHeight - y(bin.reference)).toFixed(1)}"><title>${tip}</title></rect>`,
      `<rect class="cur" x="${(x + barWidth).toFixed(1)}" y="${y(bin.current).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(MARGIN.top + plotHeight - y(bin.current)).toFixed(1)}"><title>${tip}</title></rect>`,
    ];
  });
  const labels =
    chart.kind === "numeric"
      ? [
          axisText(MARGIN.left, "start", formatNumber(chart.edges[0] as number)),
          axisText(WIDTH - MARGIN.right, "end", formatNumber(chart.edges[chart.edges.length - 1] as number)),
        ]
      : bins.map((bin, index) =>
          axisText(
            MARGIN.left + (index + 0.5) * slot,
            "middle",
            bin.label.length > 12 ? `${bin.label.slice(0, 11)}…` : bin.label,
          ),
        );
  const more = hidden > 0 ? [axisText(WIDTH - MARGIN.right, "end", `+${hidden} more categories`, 38)] : [];
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(`${feature}: reference and current distribution`)}">`,
    `<text class="axis" x="${MARGIN.left - 6}" y="${MARGIN.top + 4}" text-anchor="end">${percent(top)}</text>`,
    `<text class="axis" x="${MARGIN.left - 6}" y="${MARGIN.top + plotHeight}" text-anchor="end">0</text>`,
    `<line class="base" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}"/>`,
    ...bars,
    ...labels,
    ...more,
    "</svg>",
  ].join("");
}

function axisText(x: number, anchor: "start" | "middle" | "end", text: string, dy = 18): string {
  return `<text class="axis" x="${x.toFixed(1)}" y="${HEIGHT - MARGIN.bottom + dy}" text-anchor="${anchor}">${escapeHtml(text)}</text>`;
}
