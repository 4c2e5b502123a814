import type * as grpc from "@grpc/grpc-js";
import { CliError, type Endpoint, START_SERVICES, UnreachableError } from "./failures.ts";

/** The unary methods of a generated gRPC client, as functions that resolve with the response. */
export type UnaryCalls<C> = {
  [K in keyof C as K extends Capitalize<string & K> ? K : never]: C[K] extends (
    argument: infer Request,
    callback: grpc.requestCallback<infer Response>,
  ) => grpc.ClientUnaryCall
    ? (request: Request, options?: { timeoutMs?: number }) => Promise<Response>
    : never;
};

export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

/** gRPC status names by code (they are fixed by the gRPC specification). */
const STATUS_NAMES = [
  "OK",
  "CANCELLED",
  "UNKNOWN",
  "INVALID_ARGUMENT",
  "DEADLINE_EXCEEDED",
  "NOT_FOUND",
  "ALREADY_EXISTS",
  "PERMISSION_DENIED",
  "RESOURCE_EXHAUSTED",
  "FAILED_PRECONDITION",
  "ABORTED",
  "OUT_OF_RANGE",
  "UNIMPLEMENTED",
  "INTERNAL",
  "UNAVAILABLE",
  "DATA_LOSS",
  "UNAUTHENTICATED",
] as const;

export function serviceEndpoint(service: string, address: string, variable: string): Endpoint {
  return {
    what: `${service} gRPC`,
    address,
    variable,
    howToStart: `${START_SERVICES} (or \`npx gyre up --only ${service}\`)`,
  };
}

/** grpc-js says "No connection established. Last error: Error: connect ECONNREFUSED 127.0.0.1:8001. Resolution note: ". */
export function unavailableDetail(details: string): string {
  const cause = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:.*)?$/.exec(details)?.[1];
  return cause || details;
}

/** A failed call as a message for people: unreachable names the endpoint, the others pass the server's message on. */
export function callFailure(
  endpoint: Endpoint,
  method: string,
  error: Pick<grpc.ServiceError, "code" | "details" | "message">,
  timeoutMs: number,
): Error {
  const details = error.details || error.message;
  const name = STATUS_NAMES[error.code] ?? String(error.code);
  switch (name) {
    case "UNAVAILABLE":
      return new UnreachableError(endpoint, unavailableDetail(details));
    case "DEADLINE_EXCEEDED":
      return new CliError(`${endpoint.what} at ${endpoint.address}: ${method} got no answer within ${timeoutMs} ms`);
    case "UNIMPLEMENTED":
      return new CliError(
        `${endpoint.what} at ${endpoint.address} does not implement ${method}: an older version, or another service on that port? (${details})`,
      );
    default:
      return new CliError(`${name}: ${details}`);
  }
}

/**
 * The unary methods of a client created on first use, each returning a promise with a deadline and with errors
 * that name the endpoint.
 */
export function unaryCalls<C extends grpc.Client>(connect: () => Promise<C>, endpoint: Endpoint): UnaryCalls<C> {
  let client: Promise<C> | undefined;
  return new Proxy({} as UnaryCalls<C>, {
    get:
      (_target, method: string) =>
      async (request: unknown, options: { timeoutMs?: number } = {}) => {
        client ??= connect();
        const ready = await client;
        const call = (ready as unknown as Record<string, unknown>)[method];
        if (typeof call !== "function") throw new CliError(`${endpoint.what}: no method ${method} in the loaded proto`);
        const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
        const deadline = new Date(Date.now() + timeoutMs);
        return new Promise((resolve, reject) => {
          call.call(ready, request, { deadline }, (error: grpc.ServiceError | null, response: unknown) => {
            if (error) reject(callFailure(endpoint, method, error, timeoutMs));
            else resolve(response);
          });
        });
      },
  });
}
