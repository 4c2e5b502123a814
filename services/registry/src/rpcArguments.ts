import { InvalidNameError, parseName } from "@gyre/contracts";
import { GrpcStatus, grpcError } from "@gyre/grpc";

// Request fields checked before anything is read or written; a bad one is INVALID_ARGUMENT naming field and value.

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
const ID_RULE = 'ids are 1-200 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-", starting with a letter or digit';
const MAX_VERSION = 2_147_483_647;
export const MAX_ACTOR_LENGTH = 200;
export const MAX_REASON_LENGTH = 1000;
export const DEFAULT_RUN_LIMIT = 100;
export const MAX_RUN_LIMIT = 1000;

function invalid(message: string) {
  return grpcError(GrpcStatus.INVALID_ARGUMENT, message);
}

export function datasetArgument(value: string, field = "dataset"): string {
  try {
    return parseName("dataset", value);
  } catch (error) {
    if (!(error instanceof InvalidNameError)) throw error;
    throw invalid(error.message.replace(/^dataset\b/, field));
  }
}

/** int64 fields arrive as decimal strings. */
export function versionArgument(value: string | number, field = "version"): number {
  const version = Number(value);
  if (!Number.isSafeInteger(version) || version < 1 || version > MAX_VERSION) {
    throw invalid(`${field} ${JSON.stringify(String(value))}: a model version is a whole number from 1`);
  }
  return version;
}

export function runIdArgument(value: string, field = "run_id"): string {
  if (!ID_PATTERN.test(value)) throw invalid(`${field} ${JSON.stringify(value)}: ${ID_RULE}`);
  return value;
}

/** A required free-text field: non-blank, at most `max` characters. */
export function textArgument(value: string, field: string, max: number): string {
  const text = value.trim();
  if (text === "")
    throw invalid(`${field} ${JSON.stringify(value)}: required; say ${field === "actor" ? "who asks" : "why"}`);
  if (text.length > max) throw invalid(`${field} of ${text.length} characters: at most ${max}`);
  return text;
}

/** An optional idempotency key: "" means none. */
export function requestIdArgument(value: string): string | undefined {
  if (value === "") return undefined;
  return runIdArgument(value, "request_id");
}

export function limitArgument(value: number): number {
  if (value === 0) return DEFAULT_RUN_LIMIT;
  if (!Number.isInteger(value) || value < 1 || value > MAX_RUN_LIMIT) {
    throw invalid(`limit ${value}: from 1 to ${MAX_RUN_LIMIT} (0 for the default ${DEFAULT_RUN_LIMIT})`);
  }
  return value;
}
