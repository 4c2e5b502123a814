import assert from "node:assert/strict";
import { test } from "node:test";
import { arrivedEvent, BusHarness, waitUntil } from "./harness.ts";
import { natsServerBinary, PrivateNatsServer } from "./private-server.ts";

const binary = natsServerBinary();

test("a consumer survives a NATS restart and handles events published after it", {
  skip: binary ? false : "no nats-server binary (set NATS_SERVER_BIN) to run a server this test may restart",
}, async (t) => {
  const server = await PrivateNatsServer.start(binary as string);
  const harness = new BusHarness();
  t.after(async () => {
    await harness.cleanup();
    await server.destroy();
  });
  const bus = await harness.open("restart", { servers: server.url });
  const handled: string[] = [];
  await bus.consume({
    service: "survivor",
    events: ["data.arrived"],
    pullExpiresMs: 1000,
    retryDelayMs: 100,
    handler: (event) => {
      handled.push(event.id);
    },
  });
  await bus.publish(arrivedEvent("weather", "before-restart"), "weather");
  await waitUntil("the event before the restart handled", () => handled.includes("before-restart"));

  await server.halt();
  await server.resume();
  const seen = (name: string) => harness.statusEvents.some((event) => event.event === name);
  await waitUntil("the bus reconnected", () => seen("nats.reconnect"), 15_000);
  await waitUntil(
    "a publish accepted after the restart",
    () =>
      bus.publish(arrivedEvent("weather", "after-restart"), "weather").then(
        () => true,
        () => false,
      ),
    15_000,
  );
  await waitUntil("the event after the restart handled", () => handled.includes("after-restart"), 15_000);
  assert.ok(seen("nats.disconnect"), "the disconnect is reported for the log");
  assert.equal(handled.filter((id) => id === "after-restart").length, 1);
});
