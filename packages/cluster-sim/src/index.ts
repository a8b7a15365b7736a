/**
 * A Kubernetes API stand-in with a Flux simulator, for tests and the live demo.
 *
 * @packageDocumentation
 */
export { startClusterSim, applyObjects } from './startClusterSim';
export type { ClusterSim, ClusterSimOptions } from './startClusterSim';
export { DEFAULT_TOKEN } from './server/auth';
export type { TokenGrant } from './server/auth';
export { ManualClock, systemClock, parseDuration } from './clock';
export type { Clock } from './clock';
export { FaultController } from './faults/FaultController';
export type { FailureRule, FaultState } from './faults/FaultController';
export { applyFault, FAULT_ACTIONS } from './faults/applyFault';
export type { FaultAction } from './faults/applyFault';
export { FluxSimulator } from './flux/FluxSimulator';
export type { FluxSimulatorOptions } from './flux/FluxSimulator';
export type { ReleaseOutcome } from './flux/HelmReleaseSimulator';
export type { WebhookOptions } from './flux/WebhookForwarder';
export { ResourceStore } from './store/ResourceStore';
export { RESOURCE_TYPES } from './store/resourceTypes';
export type { KubeObject } from './store/types';
export {
  loadScenario,
  parseScenario,
  builtinScenarioNames,
} from './scenario/loadScenario';
export { startScenario } from './scenario/startScenario';
export type {
  RunningScenario,
  StartScenarioOptions,
} from './scenario/startScenario';
export type {
  Scenario,
  ScenarioStep,
  ScenarioCluster,
  ReleaseStep,
} from './scenario/Scenario';
export { kubeconfigYaml, writeKubeconfig } from './kubeconfig';
export { startGithubStandIn, GITHUB_API_PREFIX } from './scm/GithubStandIn';
export type {
  GithubStandIn,
  GithubStandInOptions,
  RecordedScmRequest,
} from './scm/GithubStandIn';
export { GithubApi } from './scm/GithubApi';
export type {
  GithubApiOptions,
  GithubPull,
  GithubComment,
} from './scm/GithubApi';
export { GitFleetRepository } from './scm/FleetRepository';
export type { PullRepository, MergeResult } from './scm/FleetRepository';
export {
  ApiViolation,
  checkBody,
  checkQuery,
  checkJsonContentType,
  paginate,
  oneOf,
  anyText,
  pageNumber,
  pageSize,
} from './scm/apiChecks';
export type { ScmRequest, ScmReply, FieldType } from './scm/apiChecks';
