import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { quoteIdent as q } from "./layout.ts";

/** The PostgreSQL types a stored column can have, system columns included. */
export type CopyType = "text" | "bigint" | "integer" | "double precision" | "boolean" | "timestamptz";

/** A value a column cannot hold; the message says it the way PostgreSQL's text input would. */
export class CopyValueError extends Error {
  override name = "CopyValueError";
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
/** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
const TWO_32 = 4_294_967_296;
const DECIMAL = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const INFINITY = /^\s*([+-]?)inf(?:inity)?\s*$/i;
const NOT_A_NUMBER = /^\s*nan\s*$/i;
const INTEGER = /^\s*[+-]?\d+\s*$/;
const TRUE_WORDS = new Set(["t", "true", "y", "yes", "on", "1"]);
const FALSE_WORDS = new Set(["f", "false", "n", "no", "off", "0"]);

/** A value's text as COPY's text input would have received it (scalars as written, the rest as JSON). */
function textOf(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function invalid(type: string, value: unknown): CopyValueError {
  return new CopyValueError(`invalid input syntax for type ${type}: ${JSON.stringify(textOf(value))}`);
}

/**
 * Rows in PostgreSQL's binary COPY format, written into one growing buffer: a double goes as its 8 bytes instead of
 * being printed by V8 and parsed again by PostgreSQL. Values are converted as PostgreSQL's text input would read them
 * (a numeric string into a double column, "t"/"yes"/1 into a boolean one); anything else throws CopyValueError.
 */
export class BinaryCopyWriter {
  #buffer = Buffer.allocUnsafe(1 << 16);
  #at = 0;
  readonly #types: readonly CopyType[];
  readonly #names: readonly string[];

  /** `columns`: each column's name (for errors) and type, in the order of the values `row` takes. */
  constructor(columns: readonly { name: string; type: CopyType }[]) {
    this.#types = columns.map((column) => column.type);
    this.#names = columns.map((column) => column.name);
    this.#reserve(SIGNATURE.length + 8);
    this.#at += SIGNATURE.copy(this.#buffer, this.#at);
    this.#int32(0); // flags
    this.#int32(0); // header extension length
  }

  /** One row, its values in the column order given to the constructor; null and undefined are NULL. */
  row(values: readonly unknown[]): void {
    const types = this.#types;
    this.#reserve(2);
    this.#buffer.writeInt16BE(types.length, this.#at);
    this.#at += 2;
    for (let index = 0; index < types.length; index++) {
      const value = values[index];
      if (value === null || value === undefined) this.#int32(-1);
      else {
        try {
          this.#field(types[index] as CopyType, value);
        } catch (err) {
          if (err instanceof CopyValueError) throw new CopyValueError(`column "${this.#names[index]}": ${err.message}`);
          throw err;
        }
      }
    }
  }

  /** The bytes written since the last call (the first piece starts with the header). */
  take(): Buffer {
    const piece = Buffer.from(this.#buffer.subarray(0, this.#at));
    this.#at = 0;
    return piece;
  }

  /** The trailer that ends the COPY data. */
  static trailer(): Buffer {
    const end = Buffer.allocUnsafe(2);
    end.writeInt16BE(-1, 0);
    return end;
  }

  #field(type: CopyType, value: unknown): void {
    switch (type) {
      case "double precision":
        this.#int32(8);
        this.#reserve(8);
        this.#at = this.#buffer.writeDoubleBE(doubleOf(value), this.#at);
        return;
      case "bigint":
        this.#int32(8);
        this.#int64(integerOf(value, "bigint"));
        return;
      case "integer": {
        const integer = integerOf(value, "integer");
        if (typeof integer === "bigint" || integer < -(2 ** 31) || integer >= 2 ** 31) {
          throw new CopyValueError(`value "${integer}" is out of range for type integer`);
        }
        this.#int32(4);
        this.#int32(integer);
        return;
      }
      case "boolean":
        this.#int32(1);
        this.#reserve(1);
        this.#buffer[this.#at++] = booleanOf(value) ? 1 : 0;
        return;
      case "timestamptz":
        this.#int32(8);
        this.#int64((timestampMillis(value) - PG_EPOCH_MS) * 1000);
        return;
      case "text": {
        const text = textOf(value);
        this.#reserve(4 + text.length * 3);
        const length = this.#buffer.write(text, this.#at + 4, "utf8");
        this.#buffer.writeInt32BE(length, this.#at);
        this.#at += 4 + length;
        return;
      }
    }
  }

  #int32(value: number): void {
    this.#reserve(4);
    this.#at = this.#buffer.writeInt32BE(value, this.#at);
  }

  #int64(value: number | bigint): void {
    this.#reserve(8);
    if (typeof value === "bigint") {
      this.#at = this.#buffer.writeBigInt64BE(value, this.#at);
      return;
    }
    const high = Math.floor(value / TWO_32);
    this.#at = this.#buffer.writeInt32BE(high, this.#at);
    this.#at = this.#buffer.writeUInt32BE(value - high * TWO_32, this.#at);
  }

  #reserve(bytes: number): void {
    if (this.#at + bytes <= this.#buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#at + bytes));
    this.#buffer.copy(grown, 0, 0, this.#at);
    this.#buffer = grown;
  }
}

function doubleOf(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    if (DECIMAL.test(value)) return Number(value);
    const infinity = INFINITY.exec(value);
    if (infinity) return infinity[1] === "-" ? -Infinity : Infinity;
    if (NOT_A_NUMBER.test(value)) return Number.NaN;
  }
  throw invalid("double precision", value);
}

function integerOf(value: unknown, type: "bigint" | "integer"): number | bigint {
  if (typeof value === "number" && Number.isInteger(value)) {
    return Number.isSafeInteger(value) ? value : BigInt(value);
  }
  if (typeof value === "string" && INTEGER.test(value)) {
    const integer = BigInt(value.trim());
    if (integer < -(2n ** 63n) || integer >= 2n ** 63n) {
      throw new CopyValueError(`value "${value}" is out of range for type ${type}`);
    }
    return integer >= BigInt(Number.MIN_SAFE_INTEGER) && integer <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(integer)
      : integer;
  }
  throw invalid(type, value);
}

function booleanOf(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  const word = typeof value === "string" ? value.trim().toLowerCase() : typeof value === "number" ? String(value) : "";
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw invalid("boolean", value);
}

/** A timestamp the row encoder has normalized (toISOString form), as Unix milliseconds. */
function timestampMillis(value: unknown): number {
  if (typeof value === "string") {
    const millis = isoMillis(value) ?? Date.parse(value);
    if (!Number.isNaN(millis)) return millis;
  }
  throw invalid("timestamp with time zone", value);
}

/** The digits at `at` … `at + count - 1` as a number; -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let index = at; index < at + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * "YYYY-MM-DDTHH:MM:SS.sssZ" (toISOString's form) as Unix milliseconds without Date.parse, which costs more than
 * much of a row's encoding; undefined for any other text, or a field out of its range (31 April), left to Date.parse.
 */
function isoMillis(text: string): number | undefined {
  if (text.length !== 24 || text[4] !== "-" || text[7] !== "-" || text[10] !== "T" || text[13] !== ":") return;
  if (text[16] !== ":" || text[19] !== "." || text[23] !== "Z") return;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const milli = digits(text, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return;
  if (minute < 0 || minute > 59 || second < 0 || second > 59 || milli < 0) return;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day > (month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return;
  return daysFromCivil(year, month, day) * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/**
 * Streams binary COPY data (pieces from `BinaryCopyWriter`, the header first; the trailer is added here) into
 * `table`; a value a column rejects fails the whole COPY.
 */
export async function copyBinary(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  pieces: AsyncIterable<Buffer>,
): Promise<void> {
  const sql = `COPY ${q(table)} (${columns.map(q).join(", ")}) FROM STDIN WITH (FORMAT binary)`;
  async function* withTrailer() {
    yield* pieces;
    yield BinaryCopyWriter.trailer();
  }
  await pipeline(Readable.from(withTrailer()), client.query(copyFrom(sql)));
}
