// Which question is asked: the destination kinds (a Service, a name as a
// client writes it, a URL, an address or host outside, a Pod, localhost),
// each sent down its path, and the source resolved for it.
import { DEFAULT_PROXY_MODE } from '../config/facts';
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel } from '../model/types';
import { resolveNameDestination } from './dns';
import { asksClusterDns, resolverWhy, traceLookup } from './dns-lookup';
import { isIP } from './dns-names';
import { traceEgress } from './egress';
import { traceLocalhost, tracePodToPod } from './pod-to-pod';
import { dedupe, unresolved } from './result';
import { lookupTracer, traceService } from './service';
import { RULE_NOTATION } from './kube-proxy-path';
import { pickServicePort } from './service-port';
import { resolveSource, unknownPodSource, type Source } from './source';
import type { ProxyMode, TraceDestination, TraceHop, TraceOptions, TraceResult } from './types';
import { traceUrl } from './url-entry';

export function traceRequest(model: NetworkModel, index: ModelIndex, options: TraceOptions): TraceResult {
  const result = traceInner(model, index, options);
  // kube-proxy's rules on the lookup's way to CoreDNS are printed too: say how, when the request itself has none.
  if (!result.proxyMode && result.hops.some((h) => h.lookup && h.kind === 'kube-proxy')) {
    const mode = options.proxyMode ?? DEFAULT_PROXY_MODE;
    result.proxyMode = mode;
    result.ruleNotation = RULE_NOTATION[mode];
  }
  for (const h of result.hops) if (h.objectIds) h.objectIds = dedupe(h.objectIds);
  for (const e of result.endpoints) e.objectIds = dedupe(e.objectIds);
  return result;
}

function traceInner(model: NetworkModel, index: ModelIndex, options: TraceOptions): TraceResult {
  const mode: ProxyMode = options.proxyMode ?? DEFAULT_PROXY_MODE;
  const to = options.to;
  if (to.kind === 'url') {
    const r = traceUrl(model, index, to.url, options, mode, to.inCluster ?? false);
    return 'leaves' in r ? traceExternal(model, index, r.leaves, options) : r;
  }
  if (to.kind === 'external') return traceExternal(model, index, to, options);
  if (to.kind === 'pod' || to.kind === 'localhost') {
    const src = options.from ? resolveSource(index, options.from) : unknownPodSource(to.kind === 'pod' ? to.namespace : model.defaultNamespace);
    if (typeof src === 'string') return unresolved(src, []);
    if (to.kind === 'localhost') return traceLocalhost(src, to.port);
    const dest = resolveSource(index, to.workloadKind ? { kind: 'workload', namespace: to.namespace, workloadKind: to.workloadKind, name: to.name } : { kind: 'pod', namespace: to.namespace, name: to.name });
    if (typeof dest === 'string') return unresolved(dest, []);
    return tracePodToPod(model, index, src, dest, to.port);
  }
  if (to.kind === 'name') {
    const src = options.from ? resolveSource(index, options.from) : unknownPodSource(model.defaultNamespace);
    if (typeof src === 'string') return unresolved(src, []);
    const target = resolveNameDestination(index, to.name, src, { ...options, port: to.port });
    // A name outside the cluster domain (api.stripe.com:443): the request leaves the cluster, as for a URL.
    if (target.outside && options.dnsType !== 'PTR' && options.dnsType !== 'SRV' && !meantForTheCluster(index, to.name)) {
      if (typeof to.port === 'string') return unresolved(`"${to.name}" is outside the cluster: a port name ("${to.port}") means nothing there; give the number (${to.name}:PORT)`, target.hops);
      return traceExternal(model, index, { kind: 'external', host: to.name.replace(/\.$/, ''), port: to.port, protocol: 'TCP' }, options);
    }
    // The trace ends at the answer, reached through the cluster DNS of the set when it has one.
    const endAtAnswer = (reason: string): TraceResult => {
      const hops: TraceHop[] = [];
      const blocked = target.hops[0] ? traceLookup(index, src, target.hops[0], lookupTracer(model, index, mode, options.clusterCIDR), hops, [], { assumedEgressCheck: false }) : undefined;
      return blocked ?? unresolved(reason, hops);
    };
    if (target.outside && typeof target.result === 'string' && !isIP(to.name)) {
      // Not the cluster DNS (a hostNetwork Pod with ClusterFirst...): the Service may well be in the set; its resolver is what fails.
      const resolver = src.kind === 'pod' && !asksClusterDns(index, src) ? `${src.label} does not ask the cluster DNS (${resolverWhy(index, src)})` : 'no Service of the set answers it';
      return endAtAnswer(`"${to.name}" reads as a Service name of the cluster, but ${resolver}: ${target.result}`);
    }
    if (typeof target.result === 'string') {
      // An address no Service has: a Pod's own, when one of the set has it.
      const pod = isIP(to.name) && options.dnsType !== 'PTR' ? podWithAddress(index, to.name) : undefined;
      if (pod) return tracePodToPod(model, index, src, pod, to.port);
      return endAtAnswer(target.result);
    }
    const sp = pickServicePort(target.result.svc, to.port ?? target.result.portName);
    // An endpoint's address on a port its Service does not have (its container port, say): a connection to that Pod, no Service involved.
    if (typeof sp === 'string' && target.result.endpoint && options.dnsType !== 'PTR') {
      const pod = podWithAddress(index, target.result.endpoint);
      if (pod) return tracePodToPod(model, index, src, pod, to.port);
    }
    // The port is asked for in the form the destination was given in.
    if (typeof sp === 'string') return endAtAnswer(sp.replace(/svc\/\S+:PORT/, `${to.name}:PORT`));
    return traceService(model, index, target.result.svc, sp, src, mode, [], false, options.clusterCIDR, target.result);
  }

  const services = index.servicesNamed(to.namespace, to.name);
  if (services.length === 0) {
    return unresolved(`no Service ${to.namespace}/${to.name} in the set`, []);
  }
  const svc = services[0];
  const sp = pickServicePort(svc, to.port);
  if (typeof sp === 'string') return unresolved(sp, []);
  const src = options.from ? resolveSource(index, options.from) : unknownPodSource(svc.namespace);
  if (typeof src === 'string') return unresolved(src, []);
  return traceService(model, index, svc, sp, src, mode, [], false, options.clusterCIDR, { zone: options.clusterDomain, type: options.dnsType });
}

/**
 * An address or host outside the set. An address that is a ClusterIP or an
 * endpoint of the set, or a host the cluster DNS answers for, is traced as
 * that Service instead.
 */
function traceExternal(model: NetworkModel, index: ModelIndex, to: Extract<TraceDestination, { kind: 'external' }>, options: TraceOptions): TraceResult {
  const src = options.from ? resolveSource(index, options.from) : unknownPodSource(model.defaultNamespace);
  if (typeof src === 'string') return unresolved(src, []);
  const asName = (name: string) => traceInner(model, index, { ...options, from: options.from, to: { kind: 'name', name, port: to.port } });
  if (to.ip && src.kind === 'pod' && typeof resolveNameDestination(index, to.ip, src, options).result !== 'string') return asName(to.ip);
  const pod = to.ip ? podWithAddress(index, to.ip) : undefined;
  if (pod) return tracePodToPod(model, index, src, pod, to.port);
  const tracer = lookupTracer(model, index, options.proxyMode ?? DEFAULT_PROXY_MODE, options.clusterCIDR);
  const out = traceEgress(model, index, src, { ip: to.ip, host: to.host, port: to.port, protocol: to.protocol ?? 'TCP' }, options, tracer);
  if ('clusterName' in out) return asName(to.host!);
  return out.result;
}

/**
 * A name that went upstream but reads as the cluster's: a Service's own name
 * (which the search path did not reach), or NAME.NS / NAME.NS.svc with a
 * namespace of the set. Traced out of the cluster it would be a confident
 * answer about a typo; it stays "does not resolve".
 */
function meantForTheCluster(index: ModelIndex, name: string): boolean {
  const labels = name.replace(/\.$/, '').split('.');
  if (labels.length === 1) return index.model.services.some((s) => s.name === labels[0]);
  const namespaced = labels.length === 2 || (labels.length === 3 && labels[2] === 'svc');
  return namespaced && index.knownNamespaces().includes(labels[1]);
}

/** The Pod of the set (a live one, or a manifest with status.podIP) whose address this is, as a trace end. */
function podWithAddress(index: ModelIndex, ip: string): Source | undefined {
  for (const w of index.model.workloads) {
    for (const p of w.pods) {
      if (p.ip === ip || p.ips.includes(ip)) {
        const s = resolveSource(index, { kind: 'pod', namespace: p.namespace, name: p.name });
        if (typeof s !== 'string') return s;
      }
    }
  }
  return undefined;
}
