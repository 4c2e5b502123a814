import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import {
  type PrivateNats,
  type PrivatePostgres,
  startPrivateNats,
  startPrivatePostgres,
} from "../src/private-servers.ts";

describe("private nats-server", () => {
  let nats: PrivateNats | undefined;
  after(async () => nats?.destroy());

  it("keeps acknowledged JetStream messages across a SIGKILL restart on the same port", async () => {
    nats = await startPrivateNats();
    assert.match(nats.url, /^nats:\/\/127\.0\.0\.1:\d+$/);
    let nc = await connect({ servers: nats.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "KEEP", subjects: ["keep.>"] });
    const js = jetstream(nc);
    for (let i = 0; i < 5; i++) await js.publish("keep.x", `m${i}`);
    await nc.close();

    await nats.restart({ signal: "SIGKILL" });
    nc = await connect({ servers: nats.url });
    const info = await (await jetstreamManager(nc)).streams.info("KEEP");
    assert.equal(info.state.messages, 5);
    await nc.close();
  });
});

describe("private PostgreSQL", () => {
  let postgres: PrivatePostgres | undefined;
  after(async () => postgres?.destroy());

  it("requires its password over TCP and comes back after an immediate (crash) stop", async () => {
    postgres = await startPrivatePostgres({ password: "s3cret-pw" });
    const good = new pg.Client({ connectionString: postgres.url });
    await good.connect();
    await good.query("create table t (x int)");
    await good.query("insert into t values (1), (2)");
    await good.end();

    const wrong = new pg.Client({ connectionString: postgres.url.replace("s3cret-pw", "nope") });
    await assert.rejects(wrong.connect(), /password authentication failed/);

    await postgres.restart({ mode: "immediate" });
    const again = new pg.Client({ connectionString: postgres.url });
    await again.connect();
    const { rows } = await again.query<{ n: string }>("select count(*) as n from t");
    assert.equal(rows[0]?.n, "2");
    await again.end();
  });
});
