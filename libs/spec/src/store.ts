import { parseDatasetName, parseName } from "@gyre/contracts";
import { type KV, type KvEntry, Kvm, KvWatchInclude } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { specDigest } from "./digest.ts";
import { SpecInvalidError, UnknownDatasetError, UnknownSpecRevisionError } from "./errors.ts";
import { validateDatasetSpec } from "./parse.ts";
import { problemsFromIssues } from "./problems.ts";
import { type DatasetSpec, type DatasetSpecInput, datasetSpecSchema } from "./schema.ts";

/*
 * Specs live in a NATS JetStream key-value bucket, not in PostgreSQL: every service reads specs, and no
 * service reads another's tables, so a spec table would have to belong to everyone. KV gives what specs
 * need for free: a revision per write (the stream sequence, which events carry as `specRevision`), the
 * kept history of each key, and watches, so services cache the current spec and hear about new ones.
 */

/** Revisions kept per dataset; older ones are trimmed by the server. */
export const SPEC_HISTORY = 64;
const APPLY_ATTEMPTS = 5;
/** Decoded revisions kept per store; a revision never changes, so entries need no invalidation, only a bound. */
const DECODED_REVISIONS = 256;

/** One bucket per namespace. Namespaces are validated names (a-z, 0-9, "-", "_"), all legal in bucket names. */
export function specBucketName(namespace: string): string {
  return `gyre_${parseName("namespace", namespace)}_specs`;
}

export interface SpecRevision {
  dataset: string;
  revision: number;
  spec: DatasetSpec;
  digest: string;
  /** Server time of the write, ISO 8601. */
  appliedAt: string;
  actor?: string;
}

export interface ApplyResult {
  dataset: string;
  revision: number;
  digest: string;
  /** false when the spec equals the current one (same digest): nothing was written. */
  changed: boolean;
}

export type SpecChange =
  | ({ kind: "applied" } & SpecRevision)
  | { kind: "removed"; dataset: string; revision: number; removedAt: string };

export interface SpecWatch {
  stop(): void;
  /** Settles when the watch ends: resolves after stop(), rejects with the error a handler threw. */
  closed: Promise<void>;
}

function decodedKey(dataset: string, revision: number): string {
  return `${revision}/${dataset}`;
}

/** What is stored under each key. */
interface StoredSpec {
  spec: DatasetSpec;
  digest: string;
  actor?: string;
}

export class SpecStore {
  /**
   * Revisions already read and decoded, by dataset and revision. A revision is immutable (a new apply makes a new
   * one), so every service reading the spec of each batch asks the server once and validates once per revision.
   */
  private readonly decoded = new Map<string, SpecRevision>();

  private constructor(
    private readonly kv: KV,
    readonly namespace: string,
    readonly bucket: string,
  ) {}

  /** Opens the namespace's spec bucket, creating it if missing (safe to call from every replica). */
  static async open(connection: NatsConnection, namespace: string): Promise<SpecStore> {
    const bucket = specBucketName(namespace);
    const kv = await new Kvm(connection).create(bucket, {
      history: SPEC_HISTORY,
      description: `Gyre dataset specs of namespace ${namespace}`,
    });
    return new SpecStore(kv, namespace, bucket);
  }

  /** Validates and stores a spec. Applying a spec equal to the current one writes nothing. */
  async apply(specInput: DatasetSpecInput, options: { actor?: string } = {}): Promise<ApplyResult> {
    const spec = validateDatasetSpec(specInput);
    const digest = specDigest(spec);
    const stored: StoredSpec = { spec, digest, ...(options.actor === undefined ? {} : { actor: options.actor }) };
    const payload = JSON.stringify(stored);
    for (let attempt = 1; ; attempt++) {
      const current = await this.kv.get(spec.name);
      const live = current?.operation === "PUT" ? current : null;
      if (live && this.decode(live).digest === digest) {
        return { dataset: spec.name, revision: live.revision, digest, changed: false };
      }
      try {
        // create/update with the revision just read: a concurrent apply makes this fail instead of being lost.
        const revision = live
          ? await this.kv.update(spec.name, payload, live.revision)
          : await this.kv.create(spec.name, payload);
        return { dataset: spec.name, revision, digest, changed: true };
      } catch (error) {
        const now = await this.kv.get(spec.name);
        const raced = (now?.revision ?? 0) !== (current?.revision ?? 0);
        if (!raced || attempt >= APPLY_ATTEMPTS) throw error;
      }
    }
  }

  /** The current spec of a dataset; UnknownDatasetError when it was never applied or was removed. */
  async current(dataset: string): Promise<SpecRevision> {
    const entry = await this.kv.get(parseDatasetName(dataset));
    if (entry?.operation !== "PUT") throw new UnknownDatasetError(dataset, this.namespace);
    return this.toRevision(entry);
  }

  /** A past (or the current) revision, as long as it is within the kept history. */
  async get(dataset: string, revision: number): Promise<SpecRevision> {
    const key = parseDatasetName(dataset);
    if (!Number.isSafeInteger(revision) || revision < 1) throw new UnknownSpecRevisionError(dataset, revision);
    const known = this.decoded.get(decodedKey(key, revision));
    if (known !== undefined) return structuredClone(known);
    const entry = await this.kv.get(key, { revision });
    if (entry?.key !== key || entry.operation !== "PUT") throw new UnknownSpecRevisionError(dataset, revision);
    return this.toRevision(entry);
  }

  /** Every kept revision of a dataset, oldest first (removals are not revisions and are left out). */
  async history(dataset: string): Promise<SpecRevision[]> {
    const key = parseDatasetName(dataset);
    const revisions: SpecRevision[] = [];
    let seen = false;
    for await (const entry of await this.kv.history({ key })) {
      seen = true;
      if (entry.operation === "PUT") revisions.push(this.toRevision(entry));
    }
    if (!seen) throw new UnknownDatasetError(dataset, this.namespace);
    return revisions.sort((a, b) => a.revision - b.revision);
  }

  /** Names of the datasets that have a current spec, sorted. */
  async list(): Promise<string[]> {
    const names: string[] = [];
    for await (const key of await this.kv.keys()) names.push(key);
    return names.sort();
  }

  /**
   * Calls `onChange` for the current spec of every dataset, then for every change, in order; each call is
   * awaited before the next. With `updatesOnly`, only changes after the call are delivered. A handler that
   * throws ends the watch, and `closed` rejects with its error.
   */
  async watch(
    onChange: (change: SpecChange) => void | Promise<void>,
    options: { updatesOnly?: boolean } = {},
  ): Promise<SpecWatch> {
    const entries = await this.kv.watch({
      include: options.updatesOnly ? KvWatchInclude.UpdatesOnly : KvWatchInclude.LastValue,
    });
    // The opening snapshot also holds delete markers of datasets removed before the watch began; those are
    // not changes. (The entries' isUpdate flag cannot tell: nats.js sets it on the snapshot's last entry too.)
    const delivered = new Set<string>();
    const closed = (async () => {
      for await (const entry of entries) {
        if (entry.operation === "PUT") delivered.add(entry.key);
        else if (!options.updatesOnly && !delivered.delete(entry.key)) continue;
        try {
          await onChange(this.toChange(entry));
        } catch (error) {
          entries.stop();
          throw error;
        }
      }
    })();
    return { stop: () => entries.stop(), closed };
  }

  /** Removes the dataset's current spec; its history stays readable, and it can be applied again. */
  async remove(dataset: string): Promise<void> {
    const key = parseDatasetName(dataset);
    const entry = await this.kv.get(key);
    if (entry?.operation !== "PUT") throw new UnknownDatasetError(dataset, this.namespace);
    await this.kv.delete(key);
  }

  /** Deletes the whole bucket with every spec and its history (tests and teardown). */
  async destroy(): Promise<void> {
    await this.kv.destroy();
  }

  private toChange(entry: KvEntry): SpecChange {
    if (entry.operation === "PUT") return { kind: "applied", ...this.toRevision(entry) };
    return {
      kind: "removed",
      dataset: entry.key,
      revision: entry.revision,
      removedAt: entry.created.toISOString(),
    };
  }

  /** The entry as a revision, decoded once per revision; callers get their own copy to do with as they like. */
  private toRevision(entry: KvEntry): SpecRevision {
    const cacheKey = decodedKey(entry.key, entry.revision);
    let known = this.decoded.get(cacheKey);
    if (known === undefined) {
      known = this.decodeRevision(entry);
      if (this.decoded.size >= DECODED_REVISIONS) this.decoded.delete(this.decoded.keys().next().value as string);
      this.decoded.set(cacheKey, known);
    }
    return structuredClone(known);
  }

  private decodeRevision(entry: KvEntry): SpecRevision {
    const stored = this.decode(entry);
    const revision: SpecRevision = {
      dataset: entry.key,
      revision: entry.revision,
      spec: stored.spec,
      digest: stored.digest,
      appliedAt: entry.created.toISOString(),
    };
    if (stored.actor !== undefined) revision.actor = stored.actor;
    return revision;
  }

  /** Stored specs are validated again on read, so schema defaults added since the write are filled in. */
  private decode(entry: KvEntry): StoredSpec {
    const subject = `stored spec of dataset "${entry.key}" revision ${entry.revision}`;
    let stored: { spec?: unknown; digest?: unknown; actor?: unknown };
    try {
      stored = entry.json();
    } catch (error) {
      throw new SpecInvalidError([`value: not JSON (${(error as Error).message})`], subject);
    }
    const parsed = datasetSpecSchema.safeParse(stored.spec, { reportInput: true });
    if (!parsed.success) throw new SpecInvalidError(problemsFromIssues(parsed.error.issues), subject);
    const decoded: StoredSpec = { spec: parsed.data, digest: specDigest(parsed.data) };
    if (typeof stored.actor === "string") decoded.actor = stored.actor;
    return decoded;
  }
}
