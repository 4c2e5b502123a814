import { InvalidArgumentError } from "commander";
import type { Session } from "./session.ts";

/**
 * A commander action that gets a Session (config read, connections opened on first use) and closes it afterwards.
 * Errors propagate to main, which prints them.
 */
export function withSession<A extends unknown[]>(
  body: (session: Session, ...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    // Loaded here, not at start: `gyre --help` should not wait for NATS, gRPC and S3 clients to load.
    const { Session } = await import("./session.ts");
    const session = new Session();
    try {
      await body(session, ...args);
    } finally {
      await session.close();
    }
  };
}

/** Parses an option as a positive integer, or throws with the option's name and value. */
export function positiveInteger(name: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
      throw new InvalidArgumentError(`${name} ${JSON.stringify(raw)}: expected a whole number from 1`);
    }
    return value;
  };
}

/** Parses an option as a positive number (fractions allowed). */
export function positiveNumber(name: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(`${name} ${JSON.stringify(raw)}: expected a number above 0`);
    }
    return value;
  };
}
