// The endpoints a Service's DNS names answer with, as CoreDNS reads them.
// - EndpointSlices when the set has them: every address of every endpoint
//   whose `ready` condition is true or unset (the EndpointSlice controller
//   already marks not-ready Pods ready for publishNotReadyAddresses), named by
//   the endpoint's `hostname`, else by its address with dashes. A legacy
//   Endpoints object counts only when no EndpointSlice exists (the mirroring
//   controller copies it into one).
// - Without slices, the Pods the selector matches, as the EndpointSlice
//   controller would write them: ready Pods (all with
//   publishNotReadyAddresses), hostname only when spec.subdomain names this
//   Service (a StatefulSet's Pods: their own names under its serviceName).
// - Manifests: the replicas, symbolic (no IPs yet), assumed ready.
import { hasServiceSelector, type ModelIndex } from '../model/model-index';
import type { Protocol, Service, Workload } from '../model/types';
import { dashedAddress } from './dns-names';
import { MAX_SYMBOLIC_REPLICAS, resolveTargetPort } from './endpoints';

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
  const workloads = index.workloadsSelectedBy(svc.namespace, svc.selector!);
  const live = index.model.source === 'cluster' || workloads.some((w) => w.pods.length > 0);
  const out: DnsEndpoint[] = [];
  for (const w of workloads) {
    if (live) {
      for (const pod of w.pods) {
        const ready = (pod.ready && !pod.terminating) || svc.publishNotReadyAddresses;
        if (!ready) continue;
        const containers = pod.containers.length > 0 ? pod.containers : w.containers;
        const ports = portsOn(svc, containers);
        const ips = pod.ips.length > 0 ? pod.ips : pod.ip ? [pod.ip] : [];
        const named = pod.hostname && pod.subdomain === svc.name ? pod.hostname : undefined;
        for (const ip of ips) out.push({ address: ip, hostname: named ?? dashedAddress(ip), named: named !== undefined, symbolic: false, ports, objectIds: [w.id, pod.id] });
      }
      continue;
    }
    out.push(...symbolicEndpoints(svc, w));
  }
  return out;
}

function portsOn(svc: Service, containers: Workload['containers']): DnsEndpointPort[] {
  const out: DnsEndpointPort[] = [];
  for (const sp of svc.ports) {
    const port = resolveTargetPort(sp, containers);
    if (port !== undefined) out.push({ name: sp.name ?? '', port, protocol: sp.protocol });
  }
  return out;
}

/** A manifest's replicas, named as the controllers will name them. */
function symbolicEndpoints(svc: Service, w: Workload): DnsEndpoint[] {
  const ref = `${w.namespace}/${w.kind}/${w.name}`;
  const ports = portsOn(svc, w.containers);
  const templateName = w.hostname && w.subdomain === svc.name ? w.hostname : undefined;
  const one = (address: string, hostname?: string): DnsEndpoint => ({
    address,
    hostname: hostname ?? `<${address.slice(1, -1)}: IP with dashes>`,
    named: hostname !== undefined,
    symbolic: true,
    ports,
    objectIds: [w.id],
  });
  switch (w.kind) {
    case 'DaemonSet':
      return [one(`<${ref} on each node>`, templateName)];
    case 'Job':
    case 'CronJob':
      return [one(`<${ref} Pod while it runs>`, templateName)];
    case 'Pod':
      return [one(`<${ref}>`, templateName)];
    default: {
      const n = Math.min(w.replicas ?? 1, MAX_SYMBOLIC_REPLICAS);
      const out: DnsEndpoint[] = [];
      for (let k = 0; k < n; k++) {
        if (w.kind === 'StatefulSet') {
          // The controller sets each Pod's hostname to its name and its subdomain to serviceName.
          const podName = `${w.name}-${k}`;
          out.push(one(`<${w.namespace}/Pod/${podName}>`, w.serviceName === svc.name ? podName : undefined));
        } else out.push(one(`<${ref} replica ${k + 1}>`, templateName));
      }
      return out;
    }
  }
}
