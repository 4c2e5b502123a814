import { createArtifactStore } from "@gyre/artifacts";
import { type Bus, deleteStreams } from "@gyre/bus";
import { dropSchema } from "@gyre/db";
import { SERVICES, serviceSchema } from "@gyre/service";
import type { SpecStore } from "@gyre/spec";
import type { Infra } from "@gyre/testkit";

/**
 * Deletes what a demo namespace left behind: its event and DLQ streams (with their consumers), its spec KV bucket,
 * each service's PostgreSQL schema, and (when the demo made it) its S3 bucket. Returns what could not be deleted.
 */
export async function deleteNamespace(options: {
  bus: Bus;
  specs: SpecStore;
  infra: Infra;
  bucket: string | null;
}): Promise<string[]> {
  const { bus, specs, infra, bucket } = options;
  const failures: string[] = [];
  const attempt = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      failures.push(`${what}: ${(err as Error).message}`);
    }
  };
  await attempt("streams", () => deleteStreams(bus));
  await attempt("spec store", () => specs.destroy());
  for (const service of SERVICES) {
    const schema = serviceSchema(bus.namespace, service);
    await attempt(`schema ${schema}`, () => dropSchema(infra.databaseUrl, schema));
  }
  if (bucket) await attempt(`bucket ${bucket}`, () => createArtifactStore({ ...infra.s3, bucket }).removeBucket(true));
  return failures;
}
