export { createEngine } from './engine/engine';
export type {
  ChangesResult,
  Disposition,
  Engine,
  EngineOptions,
  LaneInfo,
  OperatorCommand,
  StepResult,
} from './engine/engine';
export type { EngineState, LaneState } from './engine/lane-state';
export type { AlertChange, AlertOutcome, ChangeKind, LifecycleParams } from './engine/alert-book';
export {
  DEFAULT_PARAMS,
  DetectorParamsError,
  resolveDetectorParams,
  type DetectorParams,
  type DetectorParamsInput,
  type EngineParams,
} from './params';
export { RULE_IDS, ARRIVAL_RULES, type RuleId } from './rules/rule-ids';
export { runDetect, syntheticEvents, type DetectRun, type SyntheticOptions } from './bench';
export * from './runtime/index';
export { default as detectorsService } from './service';
