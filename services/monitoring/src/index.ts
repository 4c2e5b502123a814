export { type CategoryCounts, type CategoryValue, countCategories } from "./categoryCounts.ts";
export { type ChiSquareResult, chiSquareHomogeneity } from "./chi2.ts";
export { adjustPValues, benjaminiHochberg, bonferroni, type Correction, rawPValueThreshold } from "./correction.ts";
export { type DriftDecision, type DriftPolicy, driftDecision, type FeatureVerdict } from "./driftDecision.ts";
export { type CheckStatus, type DriftReportInput, renderDriftReport } from "./driftReport.ts";
export { readDriftReport, writeDriftReportFile } from "./driftReportStore.ts";
export { categoricalFeatureTest, type FeatureTestResult, numericFeatureTest } from "./featureTest.ts";
export {
  type CategoricalHistograms,
  categoricalHistograms,
  histogram,
  type NumericHistograms,
  numericHistograms,
  type SampleHistogram,
  sharedBinEdges,
} from "./histogram.ts";
export { categoricalJensenShannon, jensenShannonDistance, numericJensenShannon } from "./jsd.ts";
export { type KsMethod, type KsResult, ksTwoSample } from "./ks.ts";
export { categoricalPsi, numericPsi, PSI_EMPTY_BIN_SHARE, populationStabilityIndex } from "./psi.ts";
export { countByCuts, referenceQuantileCuts } from "./quantileBins.ts";
export { checkWindow, type FeatureChart, type FeatureCheck, type WindowCheck } from "./windowCheck.ts";
