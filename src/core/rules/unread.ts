// A partial model (some resource types of a live cluster could not be read):
// a rule whose verdict rests on an unread type would conclude from an absence
// that is only ignorance ("selector matches no Pod" when the Pods could not be
// listed, "no Service" when Services could not). Its findings there are
// withheld, and the outputs say which rules were not applied and why.
import type { Finding } from '../findings/types';
import { unreadAnywhere, unreadIn } from '../model/unread';
import type { NetworkModel } from '../model/types';
import type { RuleId } from './catalogue';

interface Reads {
  /** Resource types (plural names) the verdict depends on. */
  resources: readonly string[];
  /** The verdict reads these in other namespaces too: unread anywhere withholds it everywhere. */
  acrossNamespaces?: boolean;
}

const PODS = 'pods';
const SERVICES = 'services';
const POLICIES = 'networkpolicies';
/** Cluster-scoped: unread, they leave every verdict open. */
const ADMIN_POLICIES = ['adminnetworkpolicies', 'clusternetworkpolicies', 'baselineadminnetworkpolicies'];

/**
 * What each rule's verdict reads besides its subject. A rule not listed reads
 * only its subject, or concludes only from what is there (two Ingresses with
 * the same route are a duplicate however many more could not be read).
 */
export const RULE_READS: Readonly<Partial<Record<RuleId, Reads>>> = {
  'service-no-matching-pods': { resources: [PODS] },
  'service-target-port-missing': { resources: [PODS] },
  'service-protocol-mismatch': { resources: [PODS] },
  'service-selects-many-workloads': { resources: [PODS] },
  'service-no-selector': { resources: ['endpointslices', 'endpoints'] },
  'statefulset-service-missing': { resources: [SERVICES] },
  'statefulset-service-not-headless': { resources: [SERVICES] },
  'ingress-backend-service-missing': { resources: [SERVICES] },
  'ingress-backend-port-missing': { resources: [SERVICES] },
  'ingress-backend-no-endpoints': { resources: [SERVICES, PODS] },
  'ingress-class-missing': { resources: ['ingressclasses'] },
  'route-backend-missing': { resources: [SERVICES], acrossNamespaces: true },
  'networkpolicy-selects-nothing': { resources: [PODS] },
  'networkpolicy-peer-selects-nothing': { resources: [PODS, 'namespaces'], acrossNamespaces: true },
  'networkpolicy-port-missing': { resources: [PODS] },
  'service-blocked-by-policy': { resources: [PODS, POLICIES, ...ADMIN_POLICIES] },
  'networkpolicy-egress-blocks-dns': { resources: ADMIN_POLICIES },
  'pod-not-isolated': { resources: [POLICIES] },
};

/** A rule not applied (somewhere) because what it reads could not be read. */
export interface NotChecked {
  rule: RuleId;
  /** The unread resource types it depends on. */
  because: string[];
}

/**
 * The findings that stand on a partial model: those of rules whose verdict
 * rests on a type unread where the finding is are dropped. On a complete
 * model: the same list.
 */
export function withoutUnreadDependents(model: Pick<NetworkModel, 'unread'>, findings: Finding[]): Finding[] {
  if (!model.unread || model.unread.length === 0) return findings;
  return findings.filter((f) => {
    const reads = RULE_READS[f.rule];
    if (!reads) return true;
    const wholeModel = reads.acrossNamespaces || !f.object || !f.object.namespace;
    return !reads.resources.some((r) => (wholeModel ? unreadAnywhere(model, r) : unreadIn(model, r, f.object!.namespace) !== undefined));
  });
}

/** The enabled rules an unread resource type keeps from being applied (somewhere), by id. */
export function rulesNotChecked(model: Pick<NetworkModel, 'unread'>, enabled: (rule: RuleId) => boolean = () => true): NotChecked[] {
  if (!model.unread || model.unread.length === 0) return [];
  const out: NotChecked[] = [];
  for (const [rule, reads] of Object.entries(RULE_READS) as [RuleId, Reads][]) {
    const because = reads.resources.filter((r) => unreadAnywhere(model, r));
    if (because.length > 0 && enabled(rule)) out.push({ rule, because });
  }
  return out.sort((a, b) => (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
}
