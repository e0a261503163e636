// A headless Service (clusterIP: None), or an endpoint's own name: no virtual
// IP, so the client connects to a Pod address from the DNS answer itself and
// kube-proxy is not on the path.
import type { ModelIndex } from '../model/model-index';
import type { NetworkModel, Service, ServicePort } from '../model/types';
import { finish } from './delivery';
import type { DnsTarget } from './dns';
import type { Backend, TraceHop, TraceResult } from './types';
import type { BackendSet } from './endpoints';
import type { Source } from './source';

export function traceHeadless(
  model: NetworkModel,
  index: ModelIndex,
  svc: Service,
  sp: ServicePort,
  src: Source,
  set: BackendSet,
  usable: readonly Backend[],
  dns: DnsTarget,
  hops: TraceHop[],
  notes: string[],
  undecided: string[],
): TraceResult {
  const name = `${svc.namespace}/${svc.name}`;
  const published = svc.publishNotReadyAddresses ? set.backends : usable;
  // An endpoint's own name (pod-0.svc...) answers with that endpoint alone.
  const answers = dns.addresses ? set.backends.filter((b) => dns.addresses!.includes(b.address)) : published;
  const portNote =
    set.backends.length > 0 && set.backends[0].port !== undefined && set.backends[0].port !== sp.port
      ? `; the Pod receives on ${sp.port}, not targetPort ${set.backends[0].port}: the port mapping does not apply without a virtual IP (the SRV record advertises ${set.backends[0].port})`
      : '';
  hops.push({
    kind: 'vip',
    detail: `${dns.addresses ? `the client connects to ${dns.literal ? dns.endpoint : `the address of ${dns.endpoint}`} on port ${sp.port} directly` : `no virtual IP: the client picks one DNS answer and connects to it on port ${sp.port} directly`}; kube-proxy is not involved${portNote}`,
    rules: [],
    objectIds: [svc.id],
  });
  if (answers.length === 0) {
    return { verdict: 'no-endpoints', reason: `${name} is headless and has no ready endpoint: DNS returns no address. ${notes.join('; ')}`.trim(), hops, endpoints: [] };
  }
  const targets = answers.map((b) => ({ ...b, port: sp.port }));
  return finish(model, index, svc, sp, src, targets, hops, notes, {
    entry: 'headless',
    shares: targets.map(() => undefined),
    ruleProbs: targets.map(() => undefined),
    sourceSeen: src.subject,
    symbolic: set.source === 'selector',
    undecided,
  });
}
