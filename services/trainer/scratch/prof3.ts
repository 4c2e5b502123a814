import { mulberry32, permutation, sampleWithoutReplacement } from "../src/random.ts";
import { histogram, quantileSorted } from "../src/reference-stats.ts";
const values = Array.from({ length: 40000 }, () => Math.random());
const t = <T>(label: string, f: () => T): T => { const s = performance.now(); const r = f(); console.log(label, (performance.now() - s).toFixed(1)); return r; };
for (let i = 0; i < 3; i++) {
  const sorted = t("sort", () => Float64Array.from(values).sort());
  t("hist", () => histogram(sorted, sorted[0]!, sorted[39999]!));
  t("perm", () => permutation(40000, mulberry32(1)));
  t("sample", () => sampleWithoutReplacement(values, 1000, mulberry32(1)));
  t("reduce", () => values.reduce((s, v) => s + (v - 0.5) ** 2, 0));
}
