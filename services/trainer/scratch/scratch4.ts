import { selectBackend } from "../src/backend.ts";
import { trainModel } from "../src/train.ts";
import { seattleWeatherRows, seattleWeatherSpec, timeSplit, withModel } from "../test/seattle-weather.ts";

const b = await selectBackend(process.argv[2]);
const { trainRows, holdoutRows } = timeSplit(seattleWeatherRows());
const spec = withModel(seattleWeatherSpec(), { epochs: 20, earlyStopping: undefined });
await trainModel({ spec: withModel(spec, { epochs: 1 }), trainRows, holdoutRows }); // warm-up
const t0 = performance.now();
const c0 = process.cpuUsage();
const r = await trainModel({ spec, trainRows, holdoutRows });
console.log(
  JSON.stringify({
    backend: b.name,
    ms: Math.round(performance.now() - t0),
    cpuMs: Math.round((process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000),
    acc: r.metrics.accuracy,
    load: (await import("node:os")).loadavg()[0],
  }),
);
