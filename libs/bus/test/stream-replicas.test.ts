import assert from "node:assert/strict";
import { test } from "node:test";
import { uniqueId } from "@gyre/testkit";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { provisionStreams } from "../src/streams.ts";

test("stream replicas: created with 1 when unset, a set value reaches the server, unset never rescales", async (t) => {
  const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222" });
  t.after(() => nc.close());
  const jsm = await jetstreamManager(nc);
  const namespace = uniqueId("rep");
  const names = await provisionStreams(jsm, namespace);
  t.after(async () => {
    for (const name of Object.values(names)) await jsm.streams.delete(name).catch(() => undefined);
  });
  assert.equal((await jsm.streams.info(names.events)).config.num_replicas, 1);

  // A set value reaches the server (a non-clustered 2.9 server stores it; a cluster places the replicas).
  await provisionStreams(jsm, namespace, { replicas: 3 });
  assert.equal((await jsm.streams.info(names.events)).config.num_replicas, 3);

  // A tool that connects without the setting leaves the replicas as they are instead of scaling the stream down.
  await provisionStreams(jsm, namespace);
  assert.equal((await jsm.streams.info(names.events)).config.num_replicas, 3);
  assert.equal((await jsm.streams.info(names.dlq)).config.num_replicas, 3);
});
