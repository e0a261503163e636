// The endpoints a Service's DNS names answer with, as CoreDNS reads them.
// - EndpointSlices when the set has them: every address of every endpoint
//   whose `ready` condition is true or unset (the EndpointSlice controller
//   already marks not-ready Pods ready for publishNotReadyAddresses), named by
//   the endpoint's `hostname`, else by its address with dashes. A legacy
//   Endpoints object counts only when no EndpointSlice exists (the mirroring
//   controller copies it into one).
// - Without slices, the endpoints the EndpointSlice controller would write
//   (./endpoints, the same ones kube-proxy is shown to use): ready ones, all
//   with publishNotReadyAddresses; a Pod named by its hostname only when its
//   spec.subdomain names this Service (a StatefulSet's Pods: their own names
//   under its serviceName). Manifests without Pod status give symbolic ones.
import { hasServiceSelector, type ModelIndex } from '../model/model-index';
import type { Protocol, Service, ServicePort } from '../model/types';
import { dashedAddress } from './dns-names';
import { collectBackends } from './endpoints';
import type { Backend } from './types';

export interface DnsEndpointPort {
  name: string;
  /** The endpoint's port (the resolved targetPort), which SRV records advertise. */
  port: number;
  protocol: Protocol;
}

export interface DnsEndpoint {
  /** An IP, or a symbolic "<ns/Pod/name>" for manifests. */
  address: string;
  /** The first label of its own name: hostname, or the address with dashes. */
  hostname: string;
  /** Whether the hostname was given (EndpointSlice hostname, Pod hostname+subdomain), not derived from the address. */
  named: boolean;
  symbolic: boolean;
  /** Empty: the slice names no ports, so the endpoint has no SRV record. */
  ports: DnsEndpointPort[];
  objectIds: string[];
}

export function dnsEndpoints(index: ModelIndex, svc: Service): DnsEndpoint[] {
  const all = index.endpointSlicesFor(svc).filter((s) => s.addressType !== 'FQDN');
  if (all.length > 0) {
    const slices = all.some((s) => s.kind === 'EndpointSlice') ? all.filter((s) => s.kind === 'EndpointSlice') : all;
    const out: DnsEndpoint[] = [];
    for (const slice of slices) {
      const ports = slice.ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol }));
      for (const ep of slice.endpoints) {
        if (!ep.ready) continue;
        for (const address of ep.addresses) {
          out.push({ address, hostname: ep.hostname ?? dashedAddress(address), named: ep.hostname !== undefined, symbolic: false, ports, objectIds: [slice.id] });
        }
      }
    }
    return out;
  }
  if (!hasServiceSelector(svc)) return [];
  // One backend list per Service port (the targetPort resolves per Pod); an endpoint is an address.
  const byAddress = new Map<string, DnsEndpoint>();
  const ports: ServicePort[] = svc.ports.length > 0 ? svc.ports : [{ port: 0, protocol: 'TCP' }];
  for (const sp of ports) {
    for (const b of collectBackends(index, svc, sp).backends) {
      if (!b.ready) continue;
      const addresses = b.pod && b.pod.ips.length > 1 && b.pod.ips.includes(b.address) ? b.pod.ips : [b.address];
      for (const address of addresses) {
        let ep = byAddress.get(address);
        if (!ep) {
          const named = hostnameOf(svc, b);
          ep = { address, hostname: named ?? (b.symbolic ? `<${address.slice(1, -1)}: IP with dashes>` : dashedAddress(address)), named: named !== undefined, symbolic: b.symbolic, ports: [], objectIds: b.objectIds };
          byAddress.set(address, ep);
        }
        if (svc.ports.length > 0 && b.port !== undefined) ep.ports.push({ name: sp.name ?? '', port: b.port, protocol: sp.protocol });
      }
    }
  }
  return [...byAddress.values()];
}

/** The hostname the EndpointSlice controller gives the endpoint: the Pod's spec.hostname when its spec.subdomain is this Service. */
function hostnameOf(svc: Service, b: Backend): string | undefined {
  if (b.pod) return b.pod.hostname && b.pod.subdomain === svc.name ? b.pod.hostname : undefined;
  const w = b.workload;
  if (!w) return undefined;
  if (w.kind === 'StatefulSet') {
    // The controller sets each Pod's hostname to its name and its subdomain to serviceName.
    const podName = /^<[^/]+\/Pod\/([^>]+)>$/.exec(b.address)?.[1];
    return podName && w.serviceName === svc.name ? podName : undefined;
  }
  return w.hostname && w.subdomain === svc.name ? w.hostname : undefined;
}
