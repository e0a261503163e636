// NetworkPolicy rules.
import { hasServiceSelector, pinnedNamespaceNames, uniqueWorkloads } from '../model/model-index';
import { formatSelector, isEmptySelector } from '../model/selectors';
import type { LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule, Protocol, Service, Workload } from '../model/types';
import { ALL_NAMESPACES, listing, nameOf, objectLoc, refOf, relatedAt, type RuleContext } from './context';
import { reportSelectsNothing } from './no-match';
import { describePorts, declaredPorts, effectiveTargetPort, resolveTarget } from './ports';
import type { Rule } from './rule';

// The message may name matching workloads in other namespaces (see dependsOn in reportSelectsNothing).
export const policySelectsNothing: Rule = {
  ids: ['networkpolicy-selects-nothing'],
  scope: 'namespace',
  run(ctx) {
    if (!ctx.enabled('networkpolicy-selects-nothing')) return;
    for (const np of ctx.scoped(ctx.model.networkPolicies, (ns) => ctx.index.policiesIn(ns))) {
      if (isEmptySelector(np.podSelector)) continue;
      if (ctx.index.hasMatch(np.namespace, np.podSelector)) continue;
      reportSelectsNothing(ctx, 'networkpolicy-selects-nothing', np, np.podSelector, 'podSelector', ', so the policy has no effect');
    }
  },
};

// A peer is judged in the namespaces it reaches: the policy's own, or those
// its namespaceSelector picks; the latter are recorded with dependsOn.
export const policyPeerSelectsNothing: Rule = {
  ids: ['networkpolicy-peer-selects-nothing'],
  scope: 'namespace',
  run(ctx) {
    if (!ctx.enabled('networkpolicy-peer-selects-nothing')) return;
    for (const np of ctx.scoped(ctx.model.networkPolicies, (ns) => ctx.index.policiesIn(ns))) {
      // What the peers read: the policy's own namespace and those their
      // namespaceSelectors may reach (recorded for the incremental engine;
      // also the cache dependencies).
      const deps = ctx.scratchDependencies();
      deps.push(np);
      if (ctx.model.source === 'cluster') {
        for (const rule of np.ingress) recordPeerNamespaces(ctx, np, rule.peers, deps);
        for (const rule of np.egress) recordPeerNamespaces(ctx, np, rule.peers, deps);
      } else {
        for (const n of peerReads(np)) {
          ctx.dependsOn(np.namespace, n);
          deps.push(ctx.index.labelViewToken(n));
        }
      }
      ctx.cached('peers', np, deps, () => {
        for (const rule of np.ingress) for (const peer of rule.peers) checkPeer(ctx, np, 'from', peer);
        for (const rule of np.egress) for (const peer of rule.peers) checkPeer(ctx, np, 'to', peer);
      });
    }
  },
};

/** The namespaces a manifest policy's peers read, per policy object (its peers never change). */
const PEER_READS = new WeakMap<NetworkPolicy, string[]>();

/**
 * What recordPeerNamespaces records for a manifest model, in the same order:
 * the policy's own namespace for a peer without namespaceSelector (read
 * only when its podSelector selects), else the names its namespaceSelector
 * pins. Worked out once per policy: a re-analysis asks for every policy of a
 * re-checked namespace.
 */
function peerReads(np: NetworkPolicy): string[] {
  let reads = PEER_READS.get(np);
  if (!reads) {
    reads = [];
    for (const rules of [np.ingress, np.egress]) {
      for (const rule of rules) {
        for (const peer of rule.peers) {
          if (peer.ipBlock) continue;
          if (!peer.namespaceSelector) {
            if (peer.podSelector !== undefined && !isEmptySelector(peer.podSelector)) reads.push(np.namespace);
          } else {
            for (const n of pinnedNamespaceNames(peer.namespaceSelector) ?? []) reads.push(n);
          }
        }
      }
    }
    PEER_READS.set(np, reads);
  }
  return reads;
}

function recordPeerNamespaces(ctx: RuleContext, np: NetworkPolicy, peers: readonly PolicyPeer[], deps: unknown[]): void {
  for (const peer of peers) {
    if (peer.ipBlock) continue;
    const podSelects = peer.podSelector !== undefined && !isEmptySelector(peer.podSelector);
    // checkPeer reads only pod labels and namespace labels there (labelViewToken).
    if (!peer.namespaceSelector) {
      if (podSelects) deps.push(ctx.index.labelViewToken(np.namespace));
    } else if (ctx.model.source === 'cluster') {
      ctx.dependsOn(np.namespace, ALL_NAMESPACES);
      deps.push(ctx.index);
    } else {
      for (const n of pinnedNamespaceNames(peer.namespaceSelector) ?? []) {
        ctx.dependsOn(np.namespace, n);
        deps.push(ctx.index.labelViewToken(n));
      }
    }
  }
}

function checkPeer(ctx: RuleContext, np: NetworkPolicy, dir: 'from' | 'to', peer: PolicyPeer): void {
  if (peer.ipBlock) return;
  const pod = peer.podSelector;
  const nsSel = peer.namespaceSelector;
  const at = peer.loc ?? objectLoc(np);
  if (!nsSel) {
    if (!pod || isEmptySelector(pod)) return;
    if (ctx.index.hasMatch(np.namespace, pod)) return;
    ctx.report({
      rule: 'networkpolicy-peer-selects-nothing',
      message: `The ${dir} peer podSelector ${formatSelector(pod)} of ${nameOf(np)} matches no workload in namespace ${np.namespace} (without a namespaceSelector a peer is in the policy's own namespace), so it ${dir === 'from' ? 'admits' : 'allows'} nothing. Fix the labels, or add a namespaceSelector if the Pods live elsewhere.`,
      loc: pod.loc ?? at,
      object: refOf(np),
    });
    return;
  }
  // In a manifest set only namespaces pinned by name are judged (see
  // ModelIndex.namespacesMatching); the caller records what this reads.
  if (ctx.model.source !== 'cluster' && !pinnedNamespaceNames(nsSel)) return;
  const { names, complete } = ctx.index.namespacesMatching(nsSel);
  if (!complete) return; // namespaces outside the set may match: never guess
  if (names.length === 0) {
    ctx.report({
      rule: 'networkpolicy-peer-selects-nothing',
      message: `The ${dir} peer namespaceSelector ${formatSelector(nsSel)} of ${nameOf(np)} matches no namespace, so it ${dir === 'from' ? 'admits' : 'allows'} nothing. Fix the namespace name.`,
      loc: nsSel.loc ?? at,
      object: refOf(np),
    });
    return;
  }
  if (!pod || isEmptySelector(pod)) return;
  if (names.some((ns) => ctx.index.hasMatch(ns, pod))) return;
  ctx.report({
    rule: 'networkpolicy-peer-selects-nothing',
    message: `The ${dir} peer podSelector ${formatSelector(pod)} of ${nameOf(np)} matches no workload in namespace${names.length > 1 ? 's' : ''} ${listing(names)} (chosen by its namespaceSelector), so it ${dir === 'from' ? 'admits' : 'allows'} nothing. Fix the labels or the namespaceSelector.`,
    loc: pod.loc ?? at,
    object: refOf(np),
  });
}

function portAllows(pp: PolicyPort, w: Workload, number: number, protocol: Protocol): boolean {
  if (pp.protocol !== protocol) return false;
  if (pp.port === undefined) return true;
  if (typeof pp.port === 'number') {
    const end = pp.endPort ?? pp.port;
    return number >= pp.port && number <= end;
  }
  // A named policy port resolves against the Pod's own container ports, by
  // name and protocol: a TCP rule naming "dns" does not admit TCP/53 when only
  // the UDP port is named "dns".
  return declaredPorts(w).some((cp) => cp.name === pp.port && cp.containerPort === number && cp.protocol === protocol);
}

function ruleAdmits(rule: PolicyRule, w: Workload, number: number, protocol: Protocol): boolean {
  if (rule.ports.length === 0) return true;
  return rule.ports.some((pp) => portAllows(pp, w, number, protocol));
}

export const policyPortRules: Rule = {
  ids: ['networkpolicy-port-missing', 'service-blocked-by-policy', 'pod-not-isolated'],
  scope: 'namespace',
  run(ctx) {
    if (ctx.enabled('networkpolicy-port-missing')) {
      for (const np of ctx.scoped(ctx.model.networkPolicies, (ns) => ctx.index.policiesIn(ns))) {
        if (!np.policyTypes.includes('Ingress')) continue;
        const selected = ctx.index.selectedBy(np.namespace, np.podSelector);
        if (selected.length === 0 || selected.every((w) => w.containers.length === 0)) continue;
        // The policy is the cache's subject; the workloads it selects are its other inputs.
        ctx.cached('policy-ports', np, selected, () => {
          for (const rule of np.ingress) for (const pp of rule.ports) checkPolicyPort(ctx, np, pp, selected);
        });
      }
    }
    if (ctx.enabled('service-blocked-by-policy')) {
      for (const s of ctx.scoped(ctx.model.services, (ns) => ctx.index.servicesIn(ns))) {
        if (s.type === 'ExternalName' || !hasServiceSelector(s)) continue;
        checkBlocked(ctx, s);
      }
    }
    if (ctx.enabled('pod-not-isolated')) {
      for (const w of uniqueWorkloads(ctx.scoped(ctx.model.workloads, (ns) => ctx.index.workloadsIn(ns)))) {
        if (w.hostNetwork) continue;
        if (ctx.index.policiesSelecting(w).length > 0) continue;
        ctx.report({
          rule: 'pod-not-isolated',
          message: `No NetworkPolicy selects the Pods of ${nameOf(w)}, so all traffic to and from them is allowed. Add a policy that selects them (a default-deny policy in namespace ${w.namespace} is a good start).`,
          loc: objectLoc(w),
          object: refOf(w),
        });
      }
    }
  },
};

function checkPolicyPort(ctx: RuleContext, np: NetworkPolicy, pp: PolicyPort, selected: readonly Workload[]): void {
  if (pp.port === undefined) return;
  const declared = selected.flatMap((w) => declaredPorts(w));
  const ok =
    typeof pp.port === 'number'
      ? declared.some((cp) => cp.protocol === pp.protocol && cp.containerPort >= (pp.port as number) && cp.containerPort <= (pp.endPort ?? (pp.port as number)))
      : declared.some((cp) => cp.protocol === pp.protocol && cp.name === pp.port);
  if (ok) return;
  const portText = typeof pp.port === 'number' ? (pp.endPort !== undefined ? `ports ${pp.port}-${pp.endPort}` : `port ${pp.port}`) : `port "${pp.port}"`;
  ctx.report({
    rule: 'networkpolicy-port-missing',
    message: `${nameOf(np)} allows ingress on ${portText}/${pp.protocol}, which none of the Pods it selects declares (${listing(uniqueWorkloads(selected).map(nameOf))}: ${describePorts(declared)}). Fix the port, or declare it on the containers.`,
    loc: pp.loc ?? objectLoc(np),
    object: refOf(np),
  });
}

function checkBlocked(ctx: RuleContext, s: Service): void {
  // Every copy of a workload (alternative files) must be blocked for the Service to be.
  // Runs for every Service of a re-checked namespace: the dependencies are
  // gathered without intermediate lists, which are built only for a check.
  const deps = ctx.scratchDependencies();
  deps.push(s);
  for (const w of ctx.index.selectedBy(s.namespace, s.selector as LabelSelector)) {
    // NetworkPolicy leaves hostNetwork Pods to the network plugin, and most do
    // not govern them: a Service with such a backend can be reached.
    if (w.hostNetwork) return;
    deps.push(w);
    let isolated = false;
    for (const p of ctx.index.policiesSelecting(w)) {
      if (!isIngressPolicy(p)) continue;
      deps.push(p);
      isolated = true;
    }
    if (!isolated) return; // some backing Pods are not isolated: reachable
  }
  if (deps.length === 1) return;
  ctx.cached('blocked', s, deps, () => {
    const matched = ctx.index.selectedBy(s.namespace, s.selector as LabelSelector);
    const isolating = new Map<string, NetworkPolicy[]>();
    for (const w of matched) isolating.set(w.id, ctx.index.policiesSelecting(w).filter(isIngressPolicy));
    reportBlocked(ctx, s, matched, isolating);
  });
}

function isIngressPolicy(p: NetworkPolicy): boolean {
  return p.policyTypes.includes('Ingress');
}

function reportBlocked(ctx: RuleContext, s: Service, matched: readonly Workload[], isolating: Map<string, NetworkPolicy[]>): void {
  for (const p of s.ports) {
    const target = effectiveTargetPort(p.port, p.targetPort);
    let resolvable = 0;
    let admitted = false;
    let number: number | undefined;
    for (const w of matched) {
      const resolved = resolveTarget(w, target);
      if (resolved === undefined) continue; // a name that does not resolve: service-target-port-missing says so
      resolvable++;
      number ??= resolved;
      if ((isolating.get(w.id) ?? []).some((np) => np.ingress.some((rule) => ruleAdmits(rule, w, resolved, p.protocol)))) {
        admitted = true;
        break;
      }
    }
    if (admitted || resolvable === 0) continue;
    const policies = [...new Map(matched.flatMap((w) => isolating.get(w.id) ?? []).map((np) => [`${np.namespace}/${np.name}`, np])).values()];
    ctx.report({
      rule: 'service-blocked-by-policy',
      message: `${nameOf(s)} port ${p.port} can never be reached: its Pods (${listing(uniqueWorkloads(matched).map(nameOf))}) are isolated for ingress by ${listing(policies.map(nameOf))}, and no ingress rule admits any peer on target port ${typeof target === 'string' && number !== undefined ? `${target} (${number})` : target}/${p.protocol}. Add an ingress rule allowing that port.`,
      loc: p.loc ?? objectLoc(s),
      object: refOf(s),
      related: policies.flatMap((np) => relatedAt(undefined, np, `${nameOf(np)} isolates the Pods`)),
    });
  }
}
