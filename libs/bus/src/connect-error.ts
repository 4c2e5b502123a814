/** The first connect to NATS failed; the message says how the client logged in and what to check. */
export class BusConnectError extends Error {
  override name = "BusConnectError";
}

export interface LoginDescription {
  servers: string | string[];
  user?: string | undefined;
  token?: string | undefined;
  authenticator?: unknown;
  tls?: unknown;
}

function login(options: LoginDescription): string {
  if (options.user !== undefined) return `user "${options.user}"`;
  if (options.token !== undefined) return "a token";
  if (options.authenticator !== undefined) return "an nkey or .creds file";
  return "no credentials";
}

/** Names the servers, the way of logging in (never the secret) and the variables to check. */
export function explainConnectError(err: unknown, options: LoginDescription): unknown {
  if (!(err instanceof Error)) return err;
  const servers = [options.servers].flat().join(",");
  if (err.name === "AuthorizationError" || /authorization violation/i.test(err.message)) {
    return new BusConnectError(
      `NATS ${servers} refused the login with ${login(options)}: ${err.message}; check NATS_USER/NATS_PASSWORD, ` +
        "NATS_TOKEN, NATS_NKEY_SEED_FILE or NATS_CREDS_FILE against the server's authorization",
      { cause: err },
    );
  }
  if (/certificate|self[- ]signed|tls|ssl|handshake/i.test(err.message)) {
    return new BusConnectError(
      `TLS to NATS ${servers} failed: ${err.message}; NATS_TLS_CA must name the CA that signed the server ` +
        "certificate, and NATS_TLS_CERT/NATS_TLS_KEY a client certificate when the server verifies clients",
      { cause: err },
    );
  }
  if (err.name === "TimeoutError") {
    return new BusConnectError(
      `NATS ${servers} did not complete the connect handshake: ${err.message}; check that it is reachable and, if ` +
        "it verifies client certificates, that NATS_TLS_CERT and NATS_TLS_KEY name one signed by its CA",
      { cause: err },
    );
  }
  return err;
}
