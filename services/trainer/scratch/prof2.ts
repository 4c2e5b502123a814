import { modelInputColumns } from "@gyre/spec";
import { benchSpec, syntheticRows } from "../../../bench/training.ts";
import { selectBackend } from "../src/backend.ts";
import { evaluate } from "../src/evaluate.ts";
import { fitPreprocessing, transformRows } from "../src/preprocessing.ts";
import { referenceStats } from "../src/reference-stats.ts";
import { labelTarget } from "../src/labels.ts";
import { buildModel } from "../src/model.ts";
import { checkTrainingInput } from "../src/training-input.ts";
await selectBackend();
const t = async <T>(label: string, f: () => T | Promise<T>): Promise<T> => { const s = performance.now(); const r = await f(); console.log(label, Math.round(performance.now() - s)); return r; };
const spec = benchSpec(3);
const rows = syntheticRows(50000);
const train = rows.slice(0, 40000), hold = rows.slice(40000);
const cols = modelInputColumns(spec);
for (let i = 0; i < 3; i++) {
const lab = await t("check", () => checkTrainingInput(spec, labelTarget(spec), cols, train, hold));
const pre = await t("fitPre", () => fitPreprocessing(spec, lab.rows));
await t("transform", () => transformRows(pre, lab.rows));
await t("refstats", () => referenceStats(cols, pre.label, lab.rows, 42));
const built = buildModel(spec.model, pre.label, pre.features.length, 42);
await t("evaluate", () => evaluate({ model: built.model, preprocessing: pre } as any, hold));
}
