import { parseName } from "@gyre/contracts";
import {
  NATS_ACCOUNTS,
  type NatsAccount,
  type NatsPermissions,
  type NatsProducer,
  natsPermissions,
  natsProducerPermissions,
  natsProducerUser,
} from "./nats-permissions.ts";

/**
 * How one account proves who it is: a user and password (literal, or `passwordVariable`, a nats-server variable
 * such as `$INGESTION_NATS_PASSWORD` that the server reads from its environment), or an nkey public key (`U...`).
 */
export type NatsCredential =
  | { user: string; password: string }
  | { user: string; passwordVariable: string }
  | { nkey: string };

export type NatsCredentials = Partial<Record<NatsAccount, NatsCredential>>;

/** A producer (deploy/producers.yaml) and how it logs in. */
export interface NatsProducerLogin {
  producer: NatsProducer;
  credential: NatsCredential;
}

/** `INGESTION_NATS_PASSWORD`, `FEATURE_STORE_NATS_PASSWORD`, `GYRE_NATS_PASSWORD`, `PRODUCER_ACME_NATS_PASSWORD`. */
export function natsPasswordVariable(account: string): string {
  return `${account.toUpperCase().replaceAll("-", "_")}_NATS_PASSWORD`;
}

const VARIABLE = /^[A-Z_][A-Z0-9_]*$/;
const NKEY_USER = /^U[A-Z2-7]{55}$/;

function quoted(value: string): string {
  return JSON.stringify(value);
}

function identity(account: string, credential: NatsCredential): string {
  if ("nkey" in credential) {
    if (!NKEY_USER.test(credential.nkey)) {
      throw new Error(
        `nats account ${account}: nkey ${quoted(credential.nkey)} is not a user public key (U + 55 chars)`,
      );
    }
    return `nkey: ${quoted(credential.nkey)}`;
  }
  parseName("service", credential.user);
  if ("passwordVariable" in credential) {
    if (!VARIABLE.test(credential.passwordVariable)) {
      throw new Error(
        `nats account ${account}: password variable ${quoted(credential.passwordVariable)}: use A-Z, 0-9 and "_"`,
      );
    }
    return `user: ${quoted(credential.user)}, password: $${credential.passwordVariable}`;
  }
  if (credential.password.length === 0) throw new Error(`nats account ${account}: the password is empty`);
  return `user: ${quoted(credential.user)}, password: ${quoted(credential.password)}`;
}

function list(subjects: readonly string[], indent: string): string {
  return `[\n${subjects.map((subject) => `${indent}  ${quoted(subject)}`).join(",\n")}\n${indent}]`;
}

function permissionsBlock(permissions: NatsPermissions, indent: string): string {
  return [
    `${indent}permissions: {`,
    `${indent}  publish: { allow: ${list(permissions.publish, `${indent}  `)} }`,
    `${indent}  subscribe: { allow: ${list(permissions.subscribe, `${indent}  `)} }`,
    `${indent}}`,
  ].join("\n");
}

function userBlock(account: string, credential: NatsCredential, permissions: NatsPermissions): string {
  return [
    `    # ${account}`,
    "    {",
    `      ${identity(account, credential)}`,
    permissionsBlock(permissions, "      "),
    "    }",
  ].join("\n");
}

/**
 * The nats-server `authorization { users [...] }` block for a namespace: one user per account given in
 * `credentials`, each limited to `natsPermissions(namespace, account)`, and one per producer, limited to
 * `data.arrived` of its datasets. Accounts left out cannot connect.
 */
export function natsAuthorizationConfig(
  namespace: string,
  credentials: NatsCredentials,
  producers: readonly NatsProducerLogin[] = [],
): string {
  parseName("namespace", namespace);
  const seen = new Set<string>();
  const users = [
    ...NATS_ACCOUNTS.flatMap((account) => {
      const credential = credentials[account];
      return credential === undefined ? [] : [userBlock(account, credential, natsPermissions(namespace, account))];
    }),
    ...producers.map(({ producer, credential }) => {
      const user = natsProducerUser(producer.name);
      if (seen.has(user)) throw new Error(`natsAuthorizationConfig: producer ${JSON.stringify(producer.name)} twice`);
      seen.add(user);
      if (!("nkey" in credential) && credential.user !== user) {
        throw new Error(
          `producer ${JSON.stringify(producer.name)}: its NATS user must be ${JSON.stringify(user)}, not ${JSON.stringify(credential.user)}`,
        );
      }
      return userBlock(user, credential, natsProducerPermissions(namespace, producer));
    }),
  ];
  if (users.length === 0) throw new Error("natsAuthorizationConfig: no credentials given; name at least one account");
  return [
    `# Least-privilege NATS users of namespace "${namespace}", generated from libs/service/src/nats-permissions.ts.`,
    "authorization {",
    "  users: [",
    users.join("\n"),
    "  ]",
    "}",
    "",
  ].join("\n");
}
