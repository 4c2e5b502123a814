export { codeVersion } from "./code-version.ts";
export { type EpochLog, progressMetrics } from "./fit.ts";
export { type TrainedModel, type TrainInput, trainModel } from "./train.ts";
export { exportTrainingSet, type TrainingSet } from "./trainingSet.ts";
