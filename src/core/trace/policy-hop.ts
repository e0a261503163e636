// One side's NetworkPolicy verdict as a trace hop: the one shape every path
// (Service, Pod to Pod, egress, the DNS lookup) shows a policy check in.
import type { DirectionResult } from '../policy/evaluate';
import type { PolicyHopData, TraceHop } from './types';

export function policyHop(side: DirectionResult, detail: string = side.explanation, moreObjectIds: readonly string[] = []): TraceHop {
  const policyIds = side.policies.map((p) => p.id);
  return {
    kind: 'policy',
    detail,
    rules: [],
    objectIds: [...policyIds, ...moreObjectIds],
    policy: {
      direction: side.direction,
      policyIds,
      allowedBy: side.allowedBy ? { policyId: side.allowedBy.policyId, policy: side.allowedBy.policy, ruleIndex: side.allowedBy.ruleIndex } : undefined,
      allowed: side.allowed,
      conditions: side.conditions,
      ...(tierOf(side) ? { tier: tierOf(side) } : {}),
    },
  };
}

/** The tier that decided a side: the admin tiers' answer when the set has them, else NetworkPolicy's isolation or the default. */
function tierOf(side: DirectionResult): PolicyHopData['tier'] {
  if (side.tier) return side.tier;
  if (side.isolated === 'yes') return 'NetworkPolicy';
  return side.isolated === 'no' && side.allowed === 'yes' ? 'default' : undefined;
}

/**
 * What drops a request, named by the kind of policy whose rule decided on
 * each denying side: "NetworkPolicy drops", "BaselineAdminNetworkPolicy
 * drops", "AdminNetworkPolicy and NetworkPolicy drop". Each side's own
 * explanation names the policy and rule.
 */
export function droppedBy(denying: readonly DirectionResult[]): string {
  return dropsWords(denyingKinds(denying));
}

/** "NetworkPolicy drops", "AdminNetworkPolicy and NetworkPolicy drop". */
export function dropsWords(kinds: readonly string[] = ['NetworkPolicy']): string {
  return `${kinds.join(' and ')} drop${kinds.length === 1 ? 's' : ''}`;
}

/** The kinds of policy that decided the denying sides, in the order met ("NetworkPolicy" when none says). */
export function denyingKinds(denying: readonly DirectionResult[]): string[] {
  const kinds = [...new Set(denying.map((side) => (side.tier === 'AdminNetworkPolicy' || side.tier === 'BaselineAdminNetworkPolicy' ? side.tier : 'NetworkPolicy')))];
  return kinds.length > 0 ? kinds : ['NetworkPolicy'];
}
