export { generateEvents, type GeneratorOptions } from './generator/generate';
export { mergeByObservedAt } from './generator/merge';
export { DEFAULT_RATES, type Rates } from './generator/rates';
export { Rng } from './rng';
export { SiteClock } from './site-time';
export {
  applyFault,
  EXPECTED_OUTCOME,
  faultApplies,
  FAULT_KINDS,
  MESSAGE_FAULTS,
  TIMING_FAULTS,
  type FaultKind,
  type MessageFault,
  type Outcome,
} from './messages/faults';
export { withFaults, type FaultPlan, type FaultStream, type Silence } from './messages/fault-stream';
export { faultCatalogue, type CatalogueEntry } from './messages/fault-catalogue';
export { toMessage, toTimedMessage, type OutMessage, type TimedMessage } from './messages/message';
export { shiftEvent } from './messages/time-shift';
export { decodeRecordLine, encodeRecordLine, type RecordedMessage } from './messages/recording';
export { startDemoFeed, DEMO_FIRST_FLIGHT_AFTER_S, DEMO_INTENSITY, type DemoFeedOptions } from './demo-feed';
export { DEMO_SITE_FILE, loadSiteFile } from './site-file';
export { startFeed, type FeedOptions, type FeedSummary } from './run/feed';
export { loadTraffic, runLoad, type LoadOptions, type LoadSummary } from './run/load';
export { runReplay, type ReplayOptions } from './run/replay';
export { runRecord, type RecordOptions } from './run/record';
export { runFaults, type FaultsOptions } from './run/faults';
export { createPublisher, type Publisher, type PublishStats } from './nats/publisher';
export {
  parseScenario,
  validateScenario,
  ScenarioError,
  type Scenario,
  type Expectation,
  type ScenarioIssue,
} from './scenario/schema';
export {
  compileScenario,
  defaultOrigin,
  type CompiledScenario,
  type CompiledExpectation,
} from './scenario/compile';
export {
  Judge,
  formatTable,
  type ExpectationResult,
  type JudgeSummary,
  type Verdict,
} from './scenario/judge';
export { listScenarios, loadScenarioFile, SCENARIO_DIR, type ScenarioListing } from './scenario/files';
export { runScenario, type ScenarioReport, type ScenarioRunOptions } from './scenario/run-scenario';
export { watchAlerts, type AlertWatch } from './scenario/alert-watch';
export {
  SimulatorController,
  ControlError,
  type ControllerCounters,
  type ControllerStatus,
  type ControllerOptions,
  type FaultRequest,
} from './control/controller';
export { ControlledPacer } from './control/controlled-pacer';
export {
  MODES,
  transition,
  type Mode,
  type Phase,
  type RunConfig,
  type SimulatorState,
} from './control/state';
