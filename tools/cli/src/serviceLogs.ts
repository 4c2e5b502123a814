/** Fields every Gyre log line has; `gyre up` leaves them out of the readable form. */
const COMMON_FIELDS = new Set([
  "level",
  "time",
  "msg",
  "service",
  "version",
  "pid",
  "hostname",
  "event",
  "trace_id",
  "span_id",
  "trace_flags",
]);

function fieldText(value: unknown): string {
  if (typeof value === "string") return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value);
}

/**
 * A service's JSON log line made readable: `12:00:03 INFO  batch ingested  event=batch.ingested rows=31 ...`, the
 * error's message for `err`. Lines that are not JSON (a crash's stack) pass through unchanged.
 */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) return line;
  const time = typeof entry.time === "string" ? (/T(\d{2}:\d{2}:\d{2})/.exec(entry.time)?.[1] ?? "") : "";
  const level = String(entry.level ?? "")
    .toUpperCase()
    .padEnd(5);
  const fields = Object.entries(entry)
    .filter(([name]) => !COMMON_FIELDS.has(name))
    .map(([name, value]) => {
      if (name === "err" && value && typeof value === "object")
        return `err=${fieldText((value as { message?: unknown }).message ?? value)}`;
      return `${name}=${fieldText(value)}`;
    });
  const event = typeof entry.event === "string" ? `event=${entry.event}` : "";
  return [time, level, String(entry.msg ?? ""), " ", event, ...fields]
    .filter((part) => part !== "")
    .join(" ")
    .replace(/ {3,}/g, "  ");
}
