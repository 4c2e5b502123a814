import { setTimeout as sleep } from "node:timers/promises";

/** The champion version a service has loaded, from its `gyre_champion_version{dataset}` gauge; null when absent. */
export async function loadedChampion(metricsPort: number, dataset: string): Promise<number | null> {
  const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { signal: AbortSignal.timeout(5000) });
  const text = await response.text();
  const line = text
    .split("\n")
    .find((candidate) => candidate.startsWith("gyre_champion_version{") && candidate.includes(`dataset="${dataset}"`));
  const value = Number(line?.slice(line.lastIndexOf(" ") + 1));
  return line && Number.isFinite(value) ? value : null;
}

/**
 * Waits until every service behind `metricsPorts` has loaded `version` (or a later one) as the dataset's champion;
 * false at the deadline. Promotion is an event: serving and monitoring load the model a moment after it.
 */
export async function untilChampionLoaded(
  metricsPorts: number[],
  dataset: string,
  version: number,
  deadline: number,
  signal: AbortSignal,
): Promise<boolean> {
  while (Date.now() < deadline) {
    const loaded = await Promise.all(metricsPorts.map((port) => loadedChampion(port, dataset).catch(() => null)));
    if (loaded.every((value) => value !== null && value >= version)) return true;
    await sleep(250, undefined, { signal });
  }
  return false;
}
