import { parseIsoTimestamp } from "./timestamp.ts";

/** A checked value: numbers are finite, timestamps are UTC ISO strings, null stands for an empty cell. */
export type CellValue = number | string | boolean | null;

export type CellProblemKind = "type" | "not_finite" | "category";

/** The reason says what was expected; the caller adds the column and the value. */
export type ParsedCell<T> = { ok: true; value: T } | { ok: false; kind: CellProblemKind; reason: string };

/**
 * Plain decimal or scientific notation, `^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$` scanned by hand (it runs
 * for every numeric cell); rejects hex, binary, "1_000" and the empty string that Number() accepts.
 */
export function isDecimal(text: string): boolean {
  const length = text.length;
  let i = 0;
  let code = text.charCodeAt(0);
  if (code === 43 || code === 45) code = text.charCodeAt(++i); // + -
  let mantissaDigits = 0;
  while (code >= 48 && code <= 57) {
    mantissaDigits++;
    code = text.charCodeAt(++i);
  }
  if (code === 46) {
    // "." after digits may end the mantissa ("1."); without digits before it, digits must follow (".5")
    code = text.charCodeAt(++i);
    while (code >= 48 && code <= 57) {
      mantissaDigits++;
      code = text.charCodeAt(++i);
    }
  }
  if (mantissaDigits === 0) return false;
  if (code === 101 || code === 69) {
    // e E, an optional sign, then at least one digit
    code = text.charCodeAt(++i);
    if (code === 43 || code === 45) code = text.charCodeAt(++i);
    const exponentStart = i;
    while (code >= 48 && code <= 57) code = text.charCodeAt(++i);
    if (i === exponentStart) return false;
  }
  return i === length;
}
const NOT_FINITE_WORD = /^[+-]?(?:nan|inf|infinity)$/i;

/** Cells read from CSV are strings, so "" (or only spaces) is the empty cell; JSON uses null or leaves the key out. */
export function isNullCell(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === "string" && raw.trim() === "");
}

export function parseNumber(raw: unknown): ParsedCell<number> {
  if (typeof raw === "number") {
    return Number.isFinite(raw) ? { ok: true, value: raw } : notFinite(raw);
  }
  if (typeof raw !== "string") return typeMismatch("a number");
  const text = raw.trim();
  if (!isDecimal(text)) return NOT_FINITE_WORD.test(text) ? notFinite(text) : typeMismatch("a number");
  const value = Number(text);
  if (!Number.isFinite(value)) {
    return { ok: false, kind: "not_finite", reason: "the number is too large and overflows to Infinity" };
  }
  return { ok: true, value };
}

export function parseInteger(raw: unknown): ParsedCell<number> {
  const parsed = parseNumber(raw);
  if (!parsed.ok) return parsed.kind === "type" ? typeMismatch("an integer") : parsed;
  if (!Number.isInteger(parsed.value)) return typeMismatch("an integer");
  if (!Number.isSafeInteger(parsed.value)) {
    return { ok: false, kind: "type", reason: "expected an integer within ±(2^53 − 1), where it is exact" };
  }
  return parsed;
}

export function parseBoolean(raw: unknown): ParsedCell<boolean> {
  if (typeof raw === "boolean") return { ok: true, value: raw };
  if (typeof raw === "string") {
    const text = raw.trim().toLowerCase();
    if (text === "true") return { ok: true, value: true };
    if (text === "false") return { ok: true, value: false };
  }
  return typeMismatch('a boolean ("true" or "false")');
}

export function parseTimestamp(raw: unknown): ParsedCell<string> {
  if (raw instanceof Date) {
    return Number.isNaN(raw.getTime()) ? typeMismatch("a valid date") : { ok: true, value: raw.toISOString() };
  }
  const iso = typeof raw === "string" ? parseIsoTimestamp(raw.trim()) : undefined;
  return iso === undefined
    ? typeMismatch("an ISO 8601 date or datetime, e.g. 2012-01-31 or 2012-01-31T08:00:00Z")
    : { ok: true, value: iso };
}

/** `allowed` lists the values the cell may take; `what` names them in the reason ("categories", "label classes"). */
export function parseCategory(raw: unknown, allowed: readonly string[], what: string): ParsedCell<string> {
  if (typeof raw !== "string") return typeMismatch("a string");
  const text = raw.trim();
  if (!allowed.includes(text)) {
    return { ok: false, kind: "category", reason: `not one of the ${what} ${listForReason(allowed)}` };
  }
  return { ok: true, value: text };
}

/** Sets an own data property: a column named "__proto__" stays data instead of becoming the prototype. */
export function setOwn<T>(record: Record<string, T>, column: string, value: T): void {
  if (column === "__proto__") {
    Object.defineProperty(record, column, { value, enumerable: true, writable: true, configurable: true });
  } else {
    record[column] = value;
  }
}

/** Renders a cell for a problem report: strings as they are, anything else as JSON, at most 100 characters. */
export function displayValue(raw: unknown): string {
  const text =
    typeof raw === "string"
      ? raw
      : raw === undefined
        ? ""
        : typeof raw === "number" || raw instanceof Date
          ? String(raw)
          : (JSON.stringify(raw) ?? String(raw));
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

function listForReason(values: readonly string[]): string {
  const shown = values.slice(0, 10).join(", ");
  return values.length > 10 ? `${shown}, … (${values.length} in all)` : shown;
}

function typeMismatch(expected: string): { ok: false; kind: "type"; reason: string } {
  return { ok: false, kind: "type", reason: `expected ${expected}` };
}

function notFinite(value: number | string): { ok: false; kind: "not_finite"; reason: string } {
  return { ok: false, kind: "not_finite", reason: `expected a finite number, not ${String(value)}` };
}
