/** What commands print: one JSON document with --json, aligned tables and key-value blocks for people. */

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Notes and progress go to stderr, so stdout holds only the result. */
export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}

export type Cell = string | number | boolean | null | undefined;

export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined || cell === "") return "-";
  if (typeof cell === "number") return formatNumber(cell);
  return String(cell);
}

/** Numbers as people read them: integers as they are, others with 4 significant decimals. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(3);
  return value
    .toPrecision(4)
    .replace(/(\.\d*?)0+$/, "$1")
    .replace(/\.$/, "");
}

/** An aligned table in the manner of kubectl: upper-case headers, columns three spaces apart, "-" for nothing. */
export function renderTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const texts = rows.map((row) => headers.map((_, column) => cellText(row[column])));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...texts.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("   ")
      .trimEnd();
  return [line(headers.map((header) => header.toUpperCase())), ...texts.map(line)].join("\n");
}

export function printTable(headers: readonly string[], rows: readonly (readonly Cell[])[], empty?: string): void {
  if (rows.length === 0 && empty !== undefined) {
    printLine(empty);
    return;
  }
  printLine(renderTable(headers, rows));
}

/** `name:  value` lines with the values aligned. */
export function renderFields(fields: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(0, ...fields.map(([name]) => name.length));
  return fields.map(([name, value]) => `${`${name}:`.padEnd(width + 1)}  ${cellText(value)}`).join("\n");
}

export function printFields(fields: readonly (readonly [string, Cell])[]): void {
  printLine(renderFields(fields));
}

/** `accuracy=0.91 log_loss=0.23`, sorted by name; "-" when empty. */
export function formatMetrics(metrics: Record<string, number> | undefined): string {
  const entries = Object.entries(metrics ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return "-";
  return entries.map(([name, value]) => `${name}=${formatNumber(value)}`).join(" ");
}

/** 0 in a version field means "none". */
export function versionText(version: string | number | undefined): string {
  const number = Number(version ?? 0);
  return number > 0 ? `v${number}` : "-";
}

/** ISO time shortened to the second, in UTC: 2024-05-01 12:00:03Z. */
export function timeText(iso: string | undefined): string {
  if (!iso) return "-";
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]}Z` : iso;
}
