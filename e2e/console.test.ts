import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createArtifactStore } from "@gyre/artifacts";
import { buildBundle, loadConsoleConfig, type RunningConsole, startConsole } from "@gyre/console";
import { REPO_ROOT } from "@gyre/service";
import { type Browser, chromium, type Page } from "playwright-core";
import { driftOnlyWeatherSpec, eventually, type Loop, monthlyBatches, startLoop } from "./harness.ts";

const DATASET = "weather";
const LOOP = ["ingestion", "validation", "feature-store", "registry", "trainer", "serving", "monitoring"] as const;
const EPOCHS = 8;
const TOKEN = "console-test-operator-token-0123456789";
/** Where the screenshots go (gitignored): one per page, for people to look at after a run. */
const ARTIFACTS = join(REPO_ROOT, "artifacts/console");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** A number as the page writes it (web/src/lib.tsx num): integers as they are, others with 4 decimals. */
const shown = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(4));

/** The console's environment for this loop: its NATS namespace, the services' gRPC and ops addresses. */
function consoleEnv(loop: Loop, extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...loop.env, GYRE_NAMESPACE: loop.namespace, CONSOLE_PORT: "0" };
  for (const [name, service] of loop.services) {
    const ops = service.logs.find((line) => line.event === "service.ops_listening")?.port;
    env[`${name.toUpperCase().replaceAll("-", "_")}_METRICS_ADDR`] = `127.0.0.1:${String(ops)}`;
  }
  env.JAEGER_QUERY_URL = loop.infra.jaegerQueryUrl;
  env.LOG_LEVEL = "warn";
  delete env.GYRE_OPERATOR_TOKEN;
  return { ...env, ...extra };
}

describe("the console, in Debian's chromium, over a real loop on weather.csv", () => {
  let loop: Loop;
  let console_: RunningConsole;
  let readOnly: RunningConsole;
  let browser: Browser;
  let page: Page;
  let championVersion = 0;

  const open = async (hash: string) => {
    await page.goto(`${console_.url}/#/${hash}`);
    await page.waitForSelector("h1");
  };
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const built = buildBundle();
    loop = await startLoop(LOOP);
    const spec = driftOnlyWeatherSpec(DATASET, EPOCHS);
    await loop.specs.apply(spec);
    // A second revision, so the dataset page has a diff to show.
    await loop.specs.apply({ ...spec, description: "weather, with epochs for the console test" });
    const seattle = monthlyBatches("weather.csv", (row) => row.location === "Seattle");
    const newYork = monthlyBatches("weather.csv", (row) => row.location === "New York").slice(0, 12);
    for (const batch of seattle) await loop.publishArrived(DATASET, batch.key, batch.csv);
    await loop.waitFor("model.promoted", 1, 240_000);
    for (const batch of newYork) await loop.publishArrived(DATASET, batch.key, batch.csv);
    await loop.waitFor("drift.detected", 1, 240_000);
    const promoted = await loop.waitFor("model.promoted", 2, 300_000);
    championVersion = Math.max(...promoted.map((event) => (event.data as { version: number }).version));
    await loop.waitFor("features.updated", seattle.length + newYork.length, 240_000);
    // A batch whose every row is invalid: validation rejects it, and the Dataset page says why.
    const bad = [
      "location,date,precipitation,temp_max,temp_min,wind,weather",
      ...[1, 2, 3].map((day) => `Seattle,2016-01-0${day},0.0,hot,5.0,4.7,rain`),
    ].join("\n");
    await loop.publishArrived(DATASET, "console-test-bad-batch", bad);
    await loop.waitFor("data.rejected", 1, 120_000);
    await built;
    console_ = await startConsole(loadConsoleConfig(consoleEnv(loop, { GYRE_OPERATOR_TOKEN: TOKEN })));
    readOnly = await startConsole(loadConsoleConfig(consoleEnv(loop, {})));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // Nothing but the console itself: a CDN request would fail the test here.
    const foreign: string[] = [];
    page.on("request", (request) => {
      if (!request.url().startsWith(console_.url) && !request.url().startsWith("data:")) foreign.push(request.url());
    });
    after(() => assert.deepEqual(foreign, [], "requests to anything but the console"));
  });

  after(async () => {
    await browser?.close();
    await console_?.close();
    await readOnly?.close();
    await loop?.close();
  });

  it("overview: seven services ready, the champion, consumers with their DLQ counts, the events timeline", async () => {
    await open("");
    assert.equal(await page.title(), "Overview · Gyre console");
    await page.waitForSelector(`#datasets .champion[data-version="${championVersion}"]`);
    await shot("overview");
    await eventually("seven ready services", 60_000, async () => {
      await page.reload();
      await page.waitForSelector(".cards .card");
      const ready = await page.locator(".cards .card.ok").count();
      return ready === 7 ? ready : undefined;
    });
    const consumers = await page.locator("#consumers tbody tr").allTextContents();
    for (const service of ["validation", "feature-store", "trainer", "monitoring"]) {
      assert.ok(
        consumers.some((row) => row.startsWith(service)),
        `${service} in ${consumers.join(" | ")}`,
      );
    }
    assert.ok((await page.locator('.timeline li[data-type="model.promoted"]').count()) >= 2);
    await shot("overview");
  });

  it("runs: a curve with one point per epoch, params, and two runs compared side by side", async () => {
    const promoted = loop.seen("model.promoted").map((event) => event.data as { runId: string; version: number });
    const run = promoted.find((event) => event.version === championVersion);
    assert.ok(run);
    await open("runs");
    await page.waitForSelector("#runs tbody tr a");
    assert.ok((await page.locator("#runs tbody tr").count()) >= 2);
    await shot("runs");
    await open(`runs/${run.runId}`);
    await page.waitForSelector("#epoch-curves");
    assert.equal(await page.locator("#epoch-curves").getAttribute("data-points"), String(EPOCHS));
    assert.equal((await page.locator("#epoch-curves canvas").count()) > 0, true, "uPlot drew a canvas");
    assert.ok((await page.locator("#params tbody tr").count()) > 3);
    await shot("run");
    // Compare as an operator does: tick two runs, then the Compare button.
    await open("runs");
    for (const event of promoted.slice(0, 2)) await page.getByLabel(`compare ${event.runId}`).check();
    await page.getByRole("link", { name: "Compare 2 selected" }).click();
    await page.waitForSelector("#compare-params");
    assert.equal(await page.locator("#compare-params thead th").count(), 3);
    assert.equal(await page.locator("#compare-loss").getAttribute("data-points"), String(EPOCHS));
    await shot("compare");
  });

  it("monitoring: one point per scored batch, drift and retrain markers, per-feature tests", async () => {
    const scored = new Set(
      loop.seen("performance.measured").map((event) => (event.data as { batchId: string }).batchId),
    );
    assert.ok(scored.size > 0);
    await open(`monitoring/${DATASET}`);
    await page.waitForSelector("#prequential");
    assert.equal(await page.locator("#prequential").getAttribute("data-points"), String(scored.size));
    const markers = (await page.locator("#prequential .markers li").allTextContents()).map((text) => text.trim());
    assert.ok(
      markers.some((text) => text.startsWith("drift")),
      markers.join(" | "),
    );
    assert.ok(
      markers.some((text) => text.includes(`v${championVersion} promoted`)),
      markers.join(" | "),
    );
    const features = await page.locator(".drift table tbody tr").count();
    assert.ok(features > 0, "a drift check with per-feature rows");
    const header = await page.locator(".drift table thead").first().textContent();
    for (const column of ["test", "statistic", "p-value", "PSI", "JS"]) assert.ok(header?.includes(column), column);
    const report = page.locator("a", { hasText: "HTML drift report" }).first();
    const response = await page.request.get(`${console_.url}${await report.getAttribute("href")}`);
    assert.equal(response.status(), 200);
    assert.match(await response.text(), /<html/i);
    await shot("monitoring");
  });

  it("dataset: spec revisions with a diff, batches with their raw sha256, feature statistics", async () => {
    await open(`dataset/${DATASET}`);
    await page.waitForSelector("#batches tbody tr");
    assert.match((await page.locator(".diff-pickers").textContent()) ?? "", /[1-9]\d* lines differ/);
    const ingested = loop.seen("data.ingested").length;
    assert.equal(await page.locator("#batches tbody tr").count(), ingested);
    assert.ok((await page.locator("#statistics tbody tr").count()) >= 4);
    const rejected = await page.locator('#batches tbody tr:has-text("console-test-bad-batch")').textContent();
    assert.match(rejected ?? "", /rejected/);
    assert.match(rejected ?? "", /invalid share/);
    await shot("dataset");
  });

  it("dataset: recent batches against the champion's training reference (from its bundle in S3), with the tests", async () => {
    await open(`dataset/${DATASET}`);
    const row = page.locator('#feature-reference tbody tr:has([data-feature="temp_max"])');
    await row.waitFor();
    // The reference the page names is the bundle's reference-stats.json of that version's run, read here from S3.
    const named = /training rows of v(\d+)/.exec((await page.locator("#reference-title + p").textContent()) ?? "");
    assert.ok(named, "the page names the reference's model version");
    const version = Number(named[1]);
    const runId = loop
      .seen("model.promoted")
      .map((event) => event.data as { runId: string; version: number })
      .find((event) => event.version === version)?.runId;
    const trained = loop
      .seen("model.trained")
      .map((event) => event.data as { runId: string; artifactKey: string })
      .find((event) => event.runId === runId);
    assert.ok(trained, `the model.trained event of v${version}`);
    const store = createArtifactStore({ ...loop.infra.s3, bucket: loop.bucket });
    const reference = JSON.parse((await store.getBuffer(`${trained.artifactKey}/reference-stats.json`)).toString()) as {
      columns: { name: string; mean?: number; std?: number }[];
      label: { name: string; categories: { value: string; share: number }[] };
    };
    const tempMax = reference.columns.find((column) => column.name === "temp_max");
    assert.ok(tempMax?.mean !== undefined && tempMax.std !== undefined);
    assert.equal(await row.locator(".reference-mean").textContent(), shown(tempMax.mean));
    assert.match((await row.textContent()) ?? "", new RegExp(shown(tempMax.std).replace(".", "\\.")));
    // The newest batch's value is its data.validated statistics, as validation published them.
    const newest = loop.seen("data.validated").at(-1)?.data as { statistics: Record<string, { mean: number }> };
    assert.equal(await row.locator(".batch-mean").textContent(), shown(newest.statistics.temp_max?.mean ?? Number.NaN));
    // The label's class shares: the reference's against the newest batch's.
    const rain = page.locator('#category-reference tbody tr:has(td:nth-child(2):text-is("rain"))');
    const rainReference = reference.label.categories.find((category) => category.value === "rain")?.share;
    assert.equal(await rain.locator("td").nth(2).textContent(), shown(rainReference ?? Number.NaN));
    const classes = (newest as unknown as { statistics: Record<string, { categories: Record<string, number> }> })
      .statistics[reference.label.name]?.categories;
    const total = Object.values(classes ?? {}).reduce((sum, count) => sum + count, 0);
    assert.equal(await rain.locator("td").nth(3).textContent(), shown((classes?.rain ?? 0) / total));
    // With the newest data drift check's KS statistic for the feature.
    assert.match((await row.textContent()) ?? "", /ks \d/);
    const batches = Math.min(10, loop.seen("data.validated").length);
    assert.equal(await page.locator("#feature-temp_max").getAttribute("data-points"), String(batches));
    await page.locator("#reference-title").scrollIntoViewIfNeeded();
    await shot("dataset-reference");
  });

  it("models: versions with aliases and decisions, lineage down to the raw sha256", async () => {
    await open(`models/${DATASET}/${championVersion}`);
    await page.waitForSelector(".lineage .sha256");
    assert.equal(
      await page.locator(`.alias[data-alias="champion"]`).getAttribute("data-version"),
      String(championVersion),
    );
    const shas = await page.locator(".lineage .sha256").allTextContents();
    const ingested = new Set(loop.seen("data.ingested").map((event) => (event.data as { sha256: string }).sha256));
    assert.ok(shas.length > 0);
    for (const sha of shas) assert.ok(ingested.has(sha), `${sha} is the sha256 of an ingested raw batch`);
    const decisions = await page.locator("#versions tbody tr").allTextContents();
    assert.ok(decisions.length >= 2 && decisions.every((row) => row.length > 20));
    await shot("models");
  });

  it("promotes and rolls back through the page with a reason, audited, live on the overview; refused without the token", async () => {
    const watcher = await browser.newPage();
    await watcher.goto(`${console_.url}/#/`);
    await watcher.waitForSelector(".live.on");
    const promotedBefore = await watcher.locator('.timeline li[data-type="model.promoted"]').count();

    await open(`models/${DATASET}`);
    await page.waitForSelector("form.controls");
    const older = championVersion - 1;
    await page.locator('select[name="version"]').selectOption(String(older));
    await page.getByLabel("Reason", { exact: true }).fill("console test: no token");
    await page.getByLabel("Operator token", { exact: true }).fill("");
    await page.getByRole("button", { name: "Promote" }).click();
    await page.waitForSelector("#change-result");
    assert.match((await page.locator("#change-result").textContent()) ?? "", /Refused \(HTTP 401\)/);

    await page.getByLabel("Operator token", { exact: true }).fill(TOKEN);
    await page.getByLabel("Reason", { exact: true }).fill("console test: promote the older model");
    await page.getByRole("button", { name: "Promote" }).click();
    await page.waitForSelector("#change-result.ok-text");
    assert.match((await page.locator("#change-result").textContent()) ?? "", new RegExp(`→ v${older} `));
    await page.waitForSelector('#audit tbody tr:has-text("console test: promote the older model")');
    const audit = await page.locator('#audit tbody tr:has-text("console test: promote the older model")').textContent();
    assert.match(audit ?? "", /console/);

    await page.getByLabel("Reason", { exact: true }).fill("console test: roll back");
    await page.getByRole("button", { name: "Roll back" }).click();
    await page.waitForSelector('#audit tbody tr:has-text("console test: roll back")');
    assert.match((await page.locator("#change-result").textContent()) ?? "", new RegExp(`→ v${championVersion} `));
    await shot("models-audit");

    // Live: the page left open on the overview shows the new decisions without a reload.
    await eventually("the promotions appear live", 30_000, async () => {
      const now = await watcher.locator('.timeline li[data-type="model.promoted"]').count();
      return now >= promotedBefore + 2 ? now : undefined;
    });
    await watcher.close();

    // A console started without GYRE_OPERATOR_TOKEN refuses, whatever the token.
    const refused = await page.request.post(`${readOnly.url}/api/models/${DATASET}/rollback`, {
      headers: { authorization: `Bearer ${TOKEN}` },
      data: { reason: "should be refused" },
    });
    assert.equal(refused.status(), 403);
    assert.match((await refused.json()).error, /read-only/);
    const wrong = await page.request.post(`${console_.url}/api/models/${DATASET}/rollback`, {
      headers: { authorization: "Bearer not-the-token-at-all" },
      data: { reason: "should be refused" },
    });
    assert.equal(wrong.status(), 403);
  });

  it("traces: the recent traces, and a run's trace as a waterfall coloured by service with all seven services", async () => {
    await open("traces");
    await page.waitForSelector("#traces tbody tr a");
    await shot("traces");
    const run = loop
      .seen("model.promoted")
      .map((event) => event.data as { runId: string; version: number })
      .find((event) => event.version === championVersion);
    assert.ok(run);
    // One click from the run: its trace, which Jaeger may still be writing (spans arrive in batches).
    const services = await eventually("a waterfall with all seven services", 120_000, async () => {
      await open(`runs/${run.runId}`);
      await page.getByRole("link", { name: "Trace of this run" }).click();
      await page.waitForSelector(".waterfall li", { timeout: 30_000 });
      const shown = await page
        .locator(".legend li")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-service")));
      return LOOP.every((service) => shown.includes(service)) ? shown : undefined;
    });
    assert.equal(services.length, 7);
    const colours = await page
      .locator(".waterfall .span-bar")
      .evaluateAll(
        (bars) =>
          new Set(bars.map((bar) => (bar as unknown as { style: { background: string } }).style.background)).size,
      );
    assert.ok(colours >= 7, `${colours} colours`);
    await shot("trace");
  });

  it("reproduces a run: refused without the token and by a read-only console, started with it, the new run shown", async () => {
    const run = loop
      .seen("model.promoted")
      .map((event) => event.data as { runId: string; version: number })
      .find((event) => event.version === championVersion);
    assert.ok(run);
    const readOnlyAnswer = await page.request.post(`${readOnly.url}/api/runs/${run.runId}/reproduce`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(readOnlyAnswer.status(), 403);
    assert.match((await readOnlyAnswer.json()).error, /read-only/);

    await open(`runs/${run.runId}`);
    await page.waitForSelector("#reproduce-title");
    await page.getByLabel("Operator token", { exact: true }).fill("");
    await page.getByRole("button", { name: "Reproduce" }).click();
    await page.waitForSelector("#reproduce-refused");
    assert.match((await page.locator("#reproduce-refused").textContent()) ?? "", /Refused \(HTTP 401\)/);
    assert.equal(await page.locator("#reproduce-result").count(), 0, "nothing started without the token");

    await page.getByLabel("Operator token", { exact: true }).fill(TOKEN);
    await page.getByRole("button", { name: "Reproduce" }).click();
    await page.waitForSelector("#reproduce-result");
    await page.waitForSelector('#reproduce-result:not([data-status="running"])', { timeout: 600_000 });
    assert.equal(
      await page.locator("#reproduce-result").getAttribute("data-status"),
      "succeeded",
      (await page.locator("#reproduce-result").textContent()) ?? "",
    );
    const reproductionId = (await page.locator("#reproduction-link").textContent()) ?? "";
    assert.ok(reproductionId.length > 0 && reproductionId !== run.runId);
    assert.ok((await page.locator("#reproduce-metrics tbody tr").count()) >= 1);
    await shot("run-reproduced");

    // The new run is the trainer's: its own page, trigger "reproduce", pointing back at the original.
    await page.locator("#reproduction-link").click();
    await page.waitForSelector(`dl.facts:has-text("${reproductionId}")`);
    const facts = (await page.locator("dl.facts").textContent()) ?? "";
    assert.match(facts, new RegExp(reproductionId));
    assert.match(facts, /triggerreproduce/);
    assert.match(facts, new RegExp(`reproduces${run.runId}`));
    assert.equal(await page.locator("#epoch-curves").getAttribute("data-points"), String(EPOCHS));
  });

  it("is usable by keyboard: a skip link, then the page links in order", async () => {
    await open("");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate("document.activeElement?.textContent"), "Skip to content");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate("document.activeElement?.textContent"), "Overview");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.waitForFunction('document.title === "Models · weather · Gyre console"');
  });
});
