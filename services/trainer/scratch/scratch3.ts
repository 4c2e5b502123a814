import { selectBackend } from "../src/backend.ts";
import { trainModel } from "../src/train.ts";
import { seattleWeatherRows, seattleWeatherSpec, timeSplit, withModel } from "../test/seattle-weather.ts";

const b = await selectBackend(process.argv[2]);
const rows = seattleWeatherRows();
const { trainRows, holdoutRows } = timeSplit(rows);
const spec = withModel(seattleWeatherSpec(), { epochs: Number(process.argv[3] ?? 10) });
const t0 = performance.now();
const r = await trainModel({ spec, trainRows, holdoutRows, onEpoch: (e) => console.log(JSON.stringify(e)) });
console.log(b.name, Math.round(performance.now() - t0), r.metrics, r.bundle.metadata.epochs, r.bundle.metadata.rows);
const counts: Record<string, number> = {};
for (const r of holdoutRows) counts[r.weather as string] = (counts[r.weather as string] ?? 0) + 1;
console.log(counts);
