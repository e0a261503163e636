// One side's NetworkPolicy verdict as a trace hop: the one shape every path
// (Service, Pod to Pod, egress, the DNS lookup) shows a policy check in.
import type { DirectionResult } from '../policy/evaluate';
import type { TraceHop } from './types';

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
    },
  };
}
