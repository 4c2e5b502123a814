import { parseDatasetName, parseName } from "@gyre/contracts";
import { type KV, Kvm, KvWatchInclude } from "@nats-io/kv";
import type { NatsConnection } from "@nats-io/transport-node";
import { z } from "zod";

/** How a dataset's challenger takes part, set by the operator: mirrored traffic (shadow) and a share of answers (canary). */
export interface RoutingSettings {
  /** Mirror every request to the challenger off the request path; its answers are logged and compared, never returned. */
  shadow: boolean;
  /** Share (0 to 1) of requests without a version that the challenger answers. */
  canaryShare: number;
}

export const DEFAULT_ROUTING: RoutingSettings = Object.freeze({ shadow: false, canaryShare: 0 });

const routingSchema = z.strictObject({
  shadow: z.boolean().default(false),
  canaryShare: z.number().min(0).max(1).default(0),
});

export class InvalidRoutingError extends Error {
  override name = "InvalidRoutingError";
}

/** Checks a stored or submitted setting; the message names the dataset and the problem. */
export function parseRouting(dataset: string, value: unknown): RoutingSettings {
  const result = routingSchema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues
    .map((issue) => `${issue.path.join(".") || "value"}: ${issue.message}`)
    .join("; ");
  throw new InvalidRoutingError(
    `serving settings of "${dataset}": ${problems}; expected {"shadow": true|false, "canaryShare": 0..1}`,
  );
}

/** `gyre_<ns>_serving`: one key per dataset, the JSON of its RoutingSettings. */
export function routingBucketName(namespace: string): string {
  return `gyre_${parseName("namespace", namespace)}_serving`;
}

/** The operator's shadow and canary settings in NATS KV, shared by every serving replica. */
export class RoutingSettingsStore {
  private constructor(readonly kv: KV) {}

  static async open(connection: NatsConnection, namespace: string): Promise<RoutingSettingsStore> {
    const kv = await new Kvm(connection).create(routingBucketName(namespace), {
      history: 5,
      description: `Gyre serving shadow/canary settings of namespace ${namespace}`,
    });
    return new RoutingSettingsStore(kv);
  }

  async set(dataset: string, settings: Partial<RoutingSettings>): Promise<RoutingSettings> {
    const parsed = parseRouting(dataset, { ...DEFAULT_ROUTING, ...settings });
    await this.kv.put(parseDatasetName(dataset), JSON.stringify(parsed));
    return parsed;
  }

  async get(dataset: string): Promise<RoutingSettings> {
    const entry = await this.kv.get(parseDatasetName(dataset));
    if (entry?.operation !== "PUT") return DEFAULT_ROUTING;
    return parseRouting(dataset, entry.json());
  }

  /**
   * Calls `onChange` for every dataset's current setting, then for each change (a deleted key goes back to the
   * default). A value that does not parse is reported through `onInvalid` and leaves the dataset's setting as it was.
   */
  async watch(
    onChange: (dataset: string, settings: RoutingSettings) => void,
    onInvalid: (dataset: string, error: Error) => void,
  ): Promise<{ stop(): void }> {
    const entries = await this.kv.watch({ include: KvWatchInclude.LastValue });
    void (async () => {
      for await (const entry of entries) {
        if (entry.operation !== "PUT") {
          onChange(entry.key, DEFAULT_ROUTING);
          continue;
        }
        try {
          onChange(entry.key, parseRouting(entry.key, entry.json()));
        } catch (error) {
          onInvalid(entry.key, error as Error);
        }
      }
    })();
    return { stop: () => entries.stop() };
  }

  async destroy(): Promise<void> {
    await this.kv.destroy();
  }
}

/**
 * Who answers a request without a version: the challenger for a canary share of them (when one is loaded), else
 * the champion. `random` is injectable for table tests.
 */
export function routeToCanary(
  settings: RoutingSettings,
  hasChallenger: boolean,
  random: () => number = Math.random,
): boolean {
  return hasChallenger && settings.canaryShare > 0 && random() < settings.canaryShare;
}
