/** Exit codes: 1 the command failed (bad input, not found, refused), 69 an endpoint is unreachable, 78 bad configuration (EX_CONFIG). */
export const EXIT = { failed: 1, unavailable: 69, config: 78 } as const;

export const START_INFRASTRUCTURE = "start the infrastructure with `bash deploy/local/up.sh`";
export const START_SERVICES = "start the services with `npx gyre up`";

/** A failure the CLI reports as one message (no stack) with an exit code. */
export class CliError extends Error {
  override name = "CliError";
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
  }
}

export interface Endpoint {
  /** What it is, for people: "NATS", "registry gRPC". */
  what: string;
  /** The address or URL tried. */
  address: string;
  /** The variable that sets it. */
  variable: string;
  /** How to bring it up. */
  howToStart: string;
}

/** An endpoint did not answer: says which, through which variable, and how to start it. */
export class UnreachableError extends CliError {
  override name = "UnreachableError";
  constructor(
    readonly endpoint: Endpoint,
    detail: string,
  ) {
    super(
      `${endpoint.what} at ${endpoint.address} (${endpoint.variable}) is unreachable: ${detail}; ${endpoint.howToStart}`,
      EXIT.unavailable,
    );
  }
}

/** A feature whose contract or service is not in this checkout yet. */
export class NotAvailableError extends CliError {
  override name = "NotAvailableError";
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
