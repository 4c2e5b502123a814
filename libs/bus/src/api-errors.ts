import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";

export const isStreamNotFound = (err: unknown): boolean =>
  err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound;

export const isConsumerNotFound = (err: unknown): boolean =>
  err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
