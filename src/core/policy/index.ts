// NetworkPolicy evaluation, shared by the trace and `kni connectivity`.
export {
  evaluatePolicies,
  evaluateDirection,
  namespaceMatches,
  peerMatches,
  portsAllow,
  describePeer,
  describePorts,
  describeRule,
  describeSubject,
  workloadSubject,
  externalSubject,
} from './evaluate';
export type { AddressSubject, Direction, DirectionResult, PodSubject, PolicyQuery, PolicySubject, PolicyVerdict, RuleRef } from './evaluate';
export { decideWithAdminTiers } from './admin';
export type { AdminRuleRef, PolicyTier, TierOutcome } from './admin';
export { connectivityMatrix, possiblePorts, workloadKey, EXTERNAL } from './connectivity';
export type { TierDecision } from './connectivity-admin';
export { withUnreadPolicies } from './unread-policies';
export type { ConditionalPorts, ConnectivityEntry, ConnectivityGroup, ConnectivityMatrix, ConnectivityStats, GroupedConnectivity } from './connectivity';
export { PortSet, rulePorts, resolveNamedPort, PROTOCOLS } from './ports';
export { GuardedPorts } from './guarded-ports';
export type { PortClause } from './guarded-ports';
export { parseCidr, parseIp, cidrContains, ipBlockContains, coversEverything, formatIpBlock } from './ip';
export type { Tri } from './tri';
export { triAnd, triOr, triNot } from './tri';
