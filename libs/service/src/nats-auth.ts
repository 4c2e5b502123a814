import { readFileSync } from "node:fs";
import {
  type Authenticator,
  credsAuthenticator,
  nkeyAuthenticator,
  nkeys,
  type TlsOptions,
} from "@nats-io/transport-node";
import { natsInboxPrefix } from "./nats-permissions.ts";
import { type NatsTlsEnv, natsTlsOptions } from "./nats-tls.ts";

export interface NatsAuthEnv {
  NATS_USER?: string | undefined;
  NATS_PASSWORD?: string | undefined;
  NATS_TOKEN?: string | undefined;
  NATS_NKEY_SEED_FILE?: string | undefined;
  NATS_CREDS_FILE?: string | undefined;
}

/** What connectBus needs to authenticate: one of user and pass, token or authenticator, or nothing. */
export interface NatsAuthOptions {
  user?: string;
  pass?: string;
  token?: string;
  authenticator?: Authenticator;
}

export class NatsCredentialsError extends Error {
  override name = "NatsCredentialsError";
}

function readSecretFile(variable: string, path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new NatsCredentialsError(`${variable}="${path}": cannot read the file (${reason}); fix the path`, {
      cause: error,
    });
  }
}

/** The seed is trimmed and checked, never echoed: errors name the file, not its content. */
function nkeySeed(path: string): Uint8Array {
  const text = new TextDecoder().decode(readSecretFile("NATS_NKEY_SEED_FILE", path)).trim();
  const seed = new TextEncoder().encode(text);
  try {
    const pair = nkeys.fromSeed(seed);
    if (!pair.getPublicKey().startsWith("U")) {
      throw new NatsCredentialsError(
        `NATS_NKEY_SEED_FILE="${path}": holds an nkey seed that is not a user seed (it should start with "SU")`,
      );
    }
  } catch (error) {
    if (error instanceof NatsCredentialsError) throw error;
    throw new NatsCredentialsError(
      `NATS_NKEY_SEED_FILE="${path}": the file does not hold an nkey user seed (one line starting with "SU"; make one with \`nsc generate nkey --user\` or \`nk -gen user\`)`,
    );
  }
  return seed;
}

/** A .creds file holds a user JWT and its nkey seed between BEGIN/END markers (`nsc generate creds`). */
function credsFile(path: string): Uint8Array {
  const creds = readSecretFile("NATS_CREDS_FILE", path);
  const text = new TextDecoder().decode(creds);
  if (!/-----BEGIN NATS USER JWT-----/.test(text) || !/-----BEGIN USER NKEY SEED-----/.test(text)) {
    throw new NatsCredentialsError(
      `NATS_CREDS_FILE="${path}": not a NATS .creds file (expected a "BEGIN NATS USER JWT" and a "BEGIN USER NKEY SEED" block, as \`nsc generate creds\` writes)`,
    );
  }
  return creds;
}

/**
 * Authentication for connectBus from the NATS_* variables: user and password, a token, an nkey seed file or a
 * .creds file (decentralized JWT auth). Files are read here, once, so a wrong path fails the start with its name.
 */
export function natsAuthOptions(env: NatsAuthEnv): NatsAuthOptions {
  const chosen = [
    env.NATS_USER || env.NATS_PASSWORD ? "NATS_USER/NATS_PASSWORD" : undefined,
    env.NATS_TOKEN ? "NATS_TOKEN" : undefined,
    env.NATS_NKEY_SEED_FILE ? "NATS_NKEY_SEED_FILE" : undefined,
    env.NATS_CREDS_FILE ? "NATS_CREDS_FILE" : undefined,
  ].filter((name) => name !== undefined);
  if (chosen.length > 1) {
    throw new NatsCredentialsError(`NATS credentials: ${chosen.join(" and ")} are both set; set one way to log in`);
  }
  if (env.NATS_USER || env.NATS_PASSWORD) {
    if (!env.NATS_USER) throw new NatsCredentialsError("NATS_PASSWORD is set without NATS_USER; set both");
    if (!env.NATS_PASSWORD) throw new NatsCredentialsError(`NATS_USER="${env.NATS_USER}" is set without NATS_PASSWORD`);
    return { user: env.NATS_USER, pass: env.NATS_PASSWORD };
  }
  if (env.NATS_TOKEN) return { token: env.NATS_TOKEN };
  if (env.NATS_NKEY_SEED_FILE) return { authenticator: nkeyAuthenticator(nkeySeed(env.NATS_NKEY_SEED_FILE)) };
  if (env.NATS_CREDS_FILE) return { authenticator: credsAuthenticator(credsFile(env.NATS_CREDS_FILE)) };
  return {};
}

export interface NatsConnectEnv extends NatsAuthEnv, NatsTlsEnv {}

/**
 * Everything connectBus needs from the environment besides NATS_URL: credentials, TLS, and the account's own inbox
 * prefix (`_INBOX_<account>.<namespace>`, the only reply subjects its permissions let it subscribe to).
 */
export function natsConnectOptions(
  env: NatsConnectEnv,
  namespace: string,
  account: string,
): NatsAuthOptions & { tls?: TlsOptions; inboxPrefix: string } {
  return { ...natsAuthOptions(env), ...natsTlsOptions(env), inboxPrefix: natsInboxPrefix(namespace, account) };
}
