import { z } from "zod";

/**
 * Schemas for one environment variable each. Every schema states what it expects in one phrase
 * ("expected an integer 0-65535"); `loadConfig` puts the variable name and its (masked) value in front.
 * Chain `.default(...)` or `.optional()` for variables that may be unset.
 */
export function envField<T>(expectation: string, parse: (raw: string) => T | undefined) {
  return z.string({ error: expectation }).transform((raw, ctx): T => {
    const value = parse(raw.trim());
    if (value === undefined) {
      ctx.addIssue({ code: "custom", message: expectation, input: raw });
      return z.NEVER;
    }
    return value;
  });
}

/** Any non-empty text. */
export function text(expectation = "expected a non-empty value") {
  return envField(expectation, (raw) => (raw === "" ? undefined : raw));
}

export interface IntegerRange {
  min?: number;
  max?: number;
}

export function integer({ min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER }: IntegerRange = {}) {
  const range =
    min === Number.MIN_SAFE_INTEGER && max === Number.MAX_SAFE_INTEGER
      ? ""
      : max === Number.MAX_SAFE_INTEGER
        ? ` >= ${min}`
        : ` ${min}-${max}`;
  return envField(`expected an integer${range}`, (raw) => {
    if (!/^[+-]?\d+$/.test(raw)) return undefined;
    const value = Number(raw);
    return value >= min && value <= max ? value : undefined;
  });
}

/** A TCP port; 0 lets the OS choose one. */
export function port() {
  return integer({ min: 0, max: 65535 });
}

const TRUE = new Set(["true", "1", "yes", "on"]);
const FALSE = new Set(["false", "0", "no", "off"]);

export function boolean() {
  return envField("expected true or false (or 1/0, yes/no, on/off)", (raw) => {
    const word = raw.toLowerCase();
    return TRUE.has(word) ? true : FALSE.has(word) ? false : undefined;
  });
}

const DURATION_UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "500ms", "2s", "1.5m", "1h" to milliseconds; undefined when it is not a duration. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(raw.trim());
  if (!match) return undefined;
  const [, amount, unit] = match;
  const factor = DURATION_UNIT_MS[unit ?? ""];
  if (amount === undefined || factor === undefined) return undefined;
  return Math.round(Number(amount) * factor);
}

/** A duration in milliseconds, written with its unit: "500ms", "2s", "5m", "1h". */
export function duration() {
  return envField('expected a duration with a unit, like "500ms", "2s", "5m" or "1h"', parseDuration);
}

/** An absolute URL whose scheme is one of `schemes` (written without "://", e.g. "nats"). */
export function url(schemes: readonly string[]) {
  const expected = schemes.map((scheme) => `${scheme}://`).join(" or ");
  return envField(`expected a URL starting with ${expected}`, (raw) => {
    try {
      const parsed = new URL(raw);
      return schemes.includes(parsed.protocol.slice(0, -1)) && parsed.host !== "" ? raw : undefined;
    } catch {
      return undefined;
    }
  });
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(choices: T) {
  return envField(`expected one of ${choices.join(", ")}`, (raw) =>
    choices.includes(raw) ? (raw as T[number]) : undefined,
  );
}
