// A request to a Service, stage by stage: DNS (./service-dns), where the
// client connects (./service-entry), which endpoints there are
// (./endpoints), kube-proxy on the node that handles it
// (./service-kube-proxy, ./kube-proxy-hops), or a Pod address straight away for a headless
// Service (./service-headless); then policy, routing, delivery and the reply
// (./delivery). Manifests (no Pod IPs, no nodes) give symbolic endpoints, said
// so.
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel, Service, ServicePort } from '../model/types';
import { endpointShare, ruleProbability } from './chains';
import { finish } from './delivery';
import type { DnsTarget } from './dns';
import type { ServiceTracer } from './dns-lookup';
import { collectBackends, usableBackends, type BackendSet } from './endpoints';
import { RULE_NOTATION } from './kube-proxy-path';
import { externalNameStage, lookupStage } from './service-dns';
import { chooseEntry, entryHop, sourceRangesCheck, type Entry } from './service-entry';
import { traceHeadless } from './service-headless';
import { dispatchHops, externalSourceNat, masqueradeClause } from './kube-proxy-hops';
import { kubeProxyView, localEndpoints, noEndpoints, type ProxiedEntry } from './service-kube-proxy';
import type { Source } from './source';
import type { Backend, ProxyMode, TraceHop, TraceResult } from './types';

export function traceService(
  model: NetworkModel,
  index: ModelIndex,
  svc: Service,
  sp: ServicePort,
  src: Source,
  mode: ProxyMode,
  hops: TraceHop[],
  viaIngress: boolean,
  clusterCIDR: string | undefined,
  dns: DnsTarget = {},
): TraceResult {
  if (svc.type === 'ExternalName') {
    const out = externalNameStage(index, svc, sp, src, hops, dns, lookupTracer(model, index, mode, clusterCIDR));
    if ('result' in out) return out.result;
    return traceService(model, index, out.follow.svc, out.follow.sp, src, mode, hops, viaIngress, clusterCIDR, out.follow.dns);
  }

  const set = collectBackends(index, svc, sp);
  const { usable, fallback } = usableBackends(set.backends);
  const chosen = chooseEntry(svc, src, dns);
  if ('dropped' in chosen) return { verdict: 'dropped', reason: chosen.dropped, hops, endpoints: [] };
  const entry = chosen.entry;

  // DNS (clients inside the cluster; the ingress controller reads endpoints itself).
  const undecided: string[] = [...(dns.lookupConditions ?? [])];
  if (src.kind !== 'external' && !viaIngress && !dns.literal) {
    const blocked = lookupStage(index, svc, sp, src, hops, dns, undecided, lookupTracer(model, index, mode, clusterCIDR));
    if (blocked) return blocked;
  }

  // A headless Service that publishes not-ready addresses hands them out in DNS: they are used.
  const published = entry === 'headless' && svc.publishNotReadyAddresses ? set.backends : usable;
  const notes = endpointNotes(set, published, fallback && published === usable, src, entry);
  if (entry === 'headless') return traceHeadless(model, index, svc, sp, src, set, usable, dns, hops, notes, undecided);
  return throughKubeProxy(model, index, svc, sp, src, mode, hops, clusterCIDR, dns, set, entry, notes, undecided);
}

/** The engine for a lookup's legs: a request to the DNS Service's address, with no lookup of its own. */
export function lookupTracer(model: NetworkModel, index: ModelIndex, mode: ProxyMode, clusterCIDR: string | undefined): ServiceTracer {
  return (svc, sp, from) => traceService(model, index, svc, sp, from, mode, [], false, clusterCIDR, { literal: true });
}

/** What the endpoints' states say about the request: hairpin, fallback to terminating ones, those not used. */
function endpointNotes(set: BackendSet, usable: readonly Backend[], fallback: boolean, src: Source, entry: Entry): string[] {
  const notes = [...set.notes];
  const srcWorkload = src.objectIds[0];
  // Hairpin is kube-proxy's doing: a headless client connecting to itself goes straight to its own address.
  if (srcWorkload && entry !== 'headless' && usable.some((b) => b.workload?.id === srcWorkload)) {
    notes.push('the client is itself an endpoint: when kube-proxy picks the calling Pod, KUBE-SEP masquerades the connection (hairpin) and the Pod sees it from its node');
  }
  if (fallback) notes.push('no endpoint is ready: kube-proxy falls back to the serving, terminating ones');
  for (const b of set.backends) {
    if (!usable.includes(b)) notes.push(b.note ?? `${b.address} is ${b.terminating ? 'terminating' : 'not ready'}: not used`);
  }
  return notes;
}

function throughKubeProxy(
  model: NetworkModel,
  index: ModelIndex,
  svc: Service,
  sp: ServicePort,
  src: Source,
  mode: ProxyMode,
  hops: TraceHop[],
  clusterCIDR: string | undefined,
  dns: DnsTarget,
  set: BackendSet,
  entry: ProxiedEntry,
  notes: string[],
  undecided: string[],
): TraceResult {
  const symbolic = set.source === 'selector';
  const view = kubeProxyView(model, svc, sp, src, set, entry, dns, mode, clusterCIDR, notes);
  hops.push(entryHop({ entry, svc, sp, src, nodes: model.nodes, cip: view.cip, lbIp: view.lbIp, etpLocal: view.etpLocal, hasEndpoints: view.cat.hasEndpoints, entryRules: view.path.entry }));
  if (!view.cat.hasEndpoints) return noEndpoints(view, svc, sp, set, notes, mode, hops);
  const firewalled = sourceRangesCheck(entry, view.pport, svc, src, mode, hops, undecided);
  if (firewalled) return firewalled;
  const local = localEndpoints(view, svc, model.nodes, src, entry, symbolic, mode, hops, undecided);
  if ('result' in local) return local.result;
  if (view.cat.clusterFallback || view.cat.localFallback) notes.push('no endpoint is ready: kube-proxy falls back to the serving, terminating ones');

  const { candidates } = view;
  const n = candidates.length;
  const shareKnown = !(view.etpLocal && (entry === 'loadbalancer' || undecided.length > 0)) && !candidates.some((ep) => ep.backend?.countUnknown);
  const masqText = masqueradeClause(view, entry, mode, src, clusterCIDR);
  hops.push(...dispatchHops({ view, svc, sp, set, entry, mode, symbolic, localNote: local.localNote, masqText }));
  const sourceSeen = externalSourceNat(view, svc, entry, mode, hops) ?? src.subject;

  const targets = candidates.map((ep) => ({ ...ep.backend!, port: ep.port }));
  const shares = candidates.map((_, i) => (shareKnown ? (mode === 'iptables' ? endpointShare(i, n) : 1 / n) : undefined));
  const ruleProbs = candidates.map((_, i) => (mode === 'iptables' ? ruleProbability(i, n) : undefined));
  const result = finish(model, index, svc, sp, src, targets, hops, notes, { entry, shares, ruleProbs, sourceSeen, symbolic, undecided, entryNode: local.entryNode, vip: view.cip });
  result.proxyMode = mode;
  result.ruleNotation = RULE_NOTATION[mode];
  return result;
}
