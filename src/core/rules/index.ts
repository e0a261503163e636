// Every rule, and running them over a model.
import type { Finding } from '../findings/types';
import { RuleContext } from './context';
import { gatewayRouteRules } from './gateway';
import { ingressBackendRules, ingressClassRules, routeRules } from './ingress';
import { policyEgressDnsRule } from './dns-egress';
import { policyPeerSelectsNothing, policyPortRules, policySelectsNothing } from './policies';
import type { Rule } from './rule';
import { serviceNoMatchingPods, serviceRules, statefulSetRules } from './services';
import { workloadRules } from './workloads';

export const ALL_RULES: readonly Rule[] = [
  serviceNoMatchingPods,
  serviceRules,
  statefulSetRules,
  workloadRules,
  ingressBackendRules,
  ingressClassRules,
  routeRules,
  gatewayRouteRules,
  policySelectsNothing,
  policyPeerSelectsNothing,
  policyPortRules,
  policyEgressDnsRule,
];

/** Runs the rules of the given scope (both when undefined) and returns their findings. */
export function runRules(ctx: RuleContext, scope?: Rule['scope']): Finding[] {
  for (const r of ALL_RULES) {
    if (scope === undefined || r.scope === scope) r.run(ctx);
  }
  return ctx.findings;
}

export { RULES, ruleInfo, isKnownRule, ruleAnchor } from './catalogue';
export type { RuleInfo, RuleSeverity, RuleGroup } from './catalogue';
export { RuleContext, effectiveSeverity, SubjectCache, ALL_NAMESPACES } from './context';
export { NamespaceFindings } from './namespace-findings';
export type { Report } from './context';
export type { Rule } from './rule';
export { invalidPortName } from './ports';
