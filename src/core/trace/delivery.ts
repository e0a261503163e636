// The end of a Service request: the policy verdicts (./endpoint-policy), the
// routing leg to each endpoint (./routing), delivery to the container that
// listens, the reply with the NAT it undoes, the endpoints with their chances,
// and the verdict.
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel, Service, ServicePort } from '../model/types';
import type { PolicySubject } from '../policy/evaluate';
import { clusterIpText } from './dns';
import { endpointPolicies } from './endpoint-policy';
import { dropsWords } from './policy-hop';
import { conditionSentences, dedupe, round } from './result';
import { routeHop, type RouteLeg } from './routing';
import type { Entry } from './service-entry';
import type { Source } from './source';
import type { Backend, TraceEndpoint, TraceHop, TraceResult } from './types';

export interface FinishOptions {
  entry: Entry;
  shares: (number | undefined)[];
  ruleProbs: (number | undefined)[];
  sourceSeen: PolicySubject;
  symbolic: boolean;
  undecided: string[];
  entryNode?: string;
  /** The ClusterIP of the request's family. */
  vip?: string;
}

/** Policies, routing, delivery and the reply, then the verdict. */
export function finish(
  model: NetworkModel,
  index: ModelIndex,
  svc: Service,
  sp: ServicePort,
  src: Source,
  targets: Backend[],
  hops: TraceHop[],
  notes: string[],
  o: FinishOptions,
): TraceResult {
  const nodes = model.nodes;
  const { groups, allowedBy, conditions, denials, blockedBy, denialsBy, deniedAtSource, egressHops, ingressHops } = endpointPolicies(index, targets, o.sourceSeen, sp.protocol);
  // Routing legs: none toward the endpoints the source's egress denies (the packet is dropped before it leaves).
  const sent = targets.filter((b) => !deniedAtSource.has(b));
  const legs: RouteLeg[] = sent.map((b) => ({
    fromNode: o.entry === 'clusterip' || o.entry === 'headless' ? src.nodeName : o.entryNode,
    toNode: b.nodeName,
    target: b.address,
    ...((b.pod?.hostNetwork ?? b.workload?.hostNetwork) ? { hostNetwork: true } : {}),
  }));
  const fromPod = o.entry === 'clusterip' || o.entry === 'headless';
  const fromHostNetwork = src.subject.kind === 'pod' && src.subject.hostNetwork;
  const fromLabel = fromPod ? `${src.label}${fromHostNetwork ? " (hostNetwork: from its node's own address)" : ''}` : 'the receiving node';
  hops.push(...egressHops);
  if (sent.length > 0) {
    hops.push(routeHop(nodes, legs, fromLabel, sent.flatMap((b) => b.objectIds), fromPod && fromHostNetwork));
    hops.push(...ingressHops);
  }

  // Delivery (only where the request was sent at all; a denial at the source is the trace's last hop).
  const delivered = new Set<string>();
  for (const g of sent.length > 0 ? groups : []) {
    const b = g.backends[0];
    const port = b.port!;
    const containers = b.pod && b.pod.containers.length > 0 ? b.pod.containers : (b.workload?.containers ?? []);
    const c = containers.find((x) => x.ports.some((p) => p.containerPort === port && p.protocol === sp.protocol));
    const named = c?.ports.find((p) => p.containerPort === port)?.name;
    const where = g.backends.length > 1 ? `${g.backends.length} endpoints of ${g.subject.name}` : b.address;
    const verdict = allowedBy.get(b);
    const text = deniedAtSource.has(b)
      ? `not sent to ${where}: ${dropsWords(blockedBy.get(b))} it at ${src.label}'s egress`
      : verdict === 'no'
      ? `not delivered to ${where}: ${dropsWords(blockedBy.get(b))} it first`
      : c
        ? `${verdict === 'unknown' ? 'if allowed, delivered' : 'delivered'} to ${where}: container ${c.name} port ${port}${named ? ` (${named})` : ''}/${sp.protocol}`
        : `${verdict === 'unknown' ? 'if allowed, delivered' : 'delivered'} to ${where} on port ${port}/${sp.protocol}: no container declares it (containerPort is informational; the process must listen on it)`;
    if (!delivered.has(text)) {
      delivered.add(text);
      hops.push({ kind: 'pod', detail: text, rules: [], objectIds: b.objectIds });
    }
  }

  // Reply (when some request gets through).
  if (targets.some((b) => allowedBy.get(b) !== 'no')) {
    hops.push({ kind: 'reply', detail: replyText(svc, sp, o, src), rules: [], objectIds: [svc.id] });
  }

  const endpoints: TraceEndpoint[] = targets.map((b, i) => {
    const e: TraceEndpoint = {
      target: b.address,
      port: b.port!,
      symbolic: b.symbolic,
      ready: b.ready,
      terminating: b.terminating,
      allowed: allowedBy.get(b),
      ...(blockedBy.has(b) ? { blockedBy: blockedBy.get(b)!.join(' and ') } : {}),
      objectIds: b.objectIds,
    };
    if (o.shares[i] !== undefined) e.probability = round(o.shares[i]!);
    if (o.ruleProbs[i] !== undefined) e.ruleProbability = round(o.ruleProbs[i]!);
    if (b.nodeName) e.nodeName = b.nodeName;
    return e;
  });

  // Verdict.
  const vals = targets.map((b) => allowedBy.get(b) ?? 'yes');
  const yes = vals.filter((v) => v === 'yes').length;
  const no = vals.filter((v) => v === 'no').length;
  const unknown = vals.length - yes - no;
  const name = `${svc.namespace}/${svc.name}`;
  const noteText = notes.length > 0 ? ` Notes: ${dedupe(notes).join('; ')}.` : '';
  if (no > 0 && yes === 0 && unknown === 0) {
    return { verdict: 'dropped', reason: `${denialsBy} it: ${dedupe(denials).join('; ')}`, hops, endpoints };
  }
  if (no > 0 && yes > 0 && unknown === 0) {
    const lost = endpoints.filter((e) => e.allowed === 'no').reduce((s, e) => s + (e.probability ?? 0), 0);
    return {
      verdict: 'dropped',
      reason: `only ${yes} of ${vals.length} endpoints ${deniedAtSource.size > 0 ? 'can be reached' : 'accept it'}${lost > 0 ? `: a new connection is dropped with probability ${lost.toFixed(5)}` : ''}: ${dedupe(denials).join('; ')}`,
      hops,
      endpoints,
    };
  }
  if (unknown > 0 || o.undecided.length > 0) {
    const why = [...o.undecided, ...(unknown > 0 ? [`NetworkPolicy allows it only if ${[...conditions].join('; or ')}`] : [])];
    // Endpoints denied whatever the open conditions turn out to be: their share of new connections fails in any case.
    if (no > 0) why.push(`${no} of ${vals.length} endpoints are denied in any case: ${dedupe(denials).join('; ')}`);
    return { verdict: 'unresolved', reason: `${conditionSentences(why)}.${noteText}`, hops, endpoints };
  }
  const symbolicNote = o.symbolic ? ' (endpoints are symbolic: manifests carry no Pod IPs or nodes)' : '';
  return {
    verdict: 'delivered',
    reason: `reaches ${name} port ${sp.port} -> ${targets.length} endpoint(s) on port ${[...new Set(targets.map((t) => t.port))].join('/')}${symbolicNote}.${noteText}`,
    hops,
    endpoints,
  };
}

function replyText(svc: Service, sp: ServicePort, o: FinishOptions, src: Source): string {
  const cip = o.vip ?? clusterIpText(svc);
  switch (o.entry) {
    case 'headless':
      return `the reply goes from the Pod straight back to ${src.label}; no NAT was done, none to undo`;
    case 'clusterip':
      return `the reply leaves the Pod addressed to ${src.label}; conntrack recognises the connection and rewrites its source back to ${cip}:${sp.port} (reverse DNAT), so the client sees the Service address it called`;
    default: {
      const addr = o.entry === 'nodeport' ? `<node address>:${sp.nodePort ?? '<nodePort>'}` : o.entry === 'loadbalancer' ? `${svc.loadBalancerIPs[0] ?? '<load-balancer address>'}:${sp.port}` : `${svc.externalIPs[0]}:${sp.port}`;
      return svc.externalTrafficPolicy === 'Local'
        ? `the reply leaves the Pod for the client's address directly from the receiving node; conntrack undoes the DNAT so it comes from ${addr}`
        : `the reply goes back to the receiving node (it was SNATed to it); conntrack undoes both NATs there (destination back to the client, source back to ${addr}) and sends it out`;
    }
  }
}

