import type pg from "pg";
import { ModelNotFoundError } from "./errors.ts";

export interface Aliases {
  champion: number | null;
  challenger: number | null;
}

// Every function here runs inside a transaction that holds the dataset's models row (lockModel), so alias moves
// and version numbers are serialized per dataset across replicas.

/** Creates the dataset's models row if needed, then locks it until the transaction ends. */
export async function lockOrCreateModel(client: pg.PoolClient, dataset: string): Promise<void> {
  await client.query("INSERT INTO models (dataset) VALUES ($1) ON CONFLICT (dataset) DO NOTHING", [dataset]);
  await lockModel(client, dataset);
}

/** Locks the dataset's models row until the transaction ends; ModelNotFoundError when there is none. */
export async function lockModel(client: pg.PoolClient, dataset: string): Promise<void> {
  const { rowCount } = await client.query("SELECT 1 FROM models WHERE dataset = $1 FOR UPDATE", [dataset]);
  if (rowCount === 0) throw new ModelNotFoundError(dataset);
}

export async function currentAliases(client: pg.PoolClient, dataset: string): Promise<Aliases> {
  const { rows } = await client.query<{ alias: string; version: number }>(
    "SELECT alias, version FROM aliases WHERE dataset = $1",
    [dataset],
  );
  const of = (alias: string) => rows.find((row) => row.alias === alias)?.version ?? null;
  return { champion: of("champion"), challenger: of("challenger") };
}

/**
 * Points `champion` at the version. The champion it replaces becomes `archived` (its version stays, for rollback);
 * a version that was the challenger loses that alias.
 */
export async function pointChampion(
  client: pg.PoolClient,
  dataset: string,
  version: number,
  current: Aliases,
): Promise<void> {
  if (current.champion !== null && current.champion !== version) {
    await setStatus(client, dataset, current.champion, "archived");
  }
  if (current.challenger === version) await removeAlias(client, dataset, "challenger");
  await setAlias(client, dataset, "champion", version);
  await setStatus(client, dataset, version, "champion");
}

/** Points `challenger` at the version; the challenger it replaces becomes `rejected`. */
export async function pointChallenger(
  client: pg.PoolClient,
  dataset: string,
  version: number,
  current: Aliases,
): Promise<void> {
  if (current.challenger !== null && current.challenger !== version) {
    await setStatus(client, dataset, current.challenger, "rejected");
  }
  await setAlias(client, dataset, "challenger", version);
  await setStatus(client, dataset, version, "challenger");
}

/** Drops the `challenger` alias (a newer candidate beat the champion it lost to); its version becomes `rejected`. */
export async function dropChallenger(client: pg.PoolClient, dataset: string, current: Aliases): Promise<void> {
  if (current.challenger === null) return;
  await removeAlias(client, dataset, "challenger");
  await setStatus(client, dataset, current.challenger, "rejected");
}

async function setAlias(client: pg.PoolClient, dataset: string, alias: string, version: number): Promise<void> {
  await client.query(
    `INSERT INTO aliases (dataset, alias, version) VALUES ($1, $2, $3)
     ON CONFLICT (dataset, alias) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
    [dataset, alias, version],
  );
}

async function removeAlias(client: pg.PoolClient, dataset: string, alias: string): Promise<void> {
  await client.query("DELETE FROM aliases WHERE dataset = $1 AND alias = $2", [dataset, alias]);
}

async function setStatus(client: pg.PoolClient, dataset: string, version: number, status: string): Promise<void> {
  await client.query("UPDATE versions SET status = $3 WHERE dataset = $1 AND version = $2", [dataset, version, status]);
}
