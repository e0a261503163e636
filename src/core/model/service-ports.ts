// How a Service port reaches a container port, as Kubernetes reads it: one
// place for the trace, the rules, the topology and the editor's hovers.
import type { Container, ContainerPort, ServicePort } from './types';

/** A Service's target port as Kubernetes reads it: absent or 0 (or "") means the port itself. */
export function effectiveTargetPort(port: number, targetPort: number | string | undefined): number | string {
  if (targetPort === undefined || targetPort === 0 || targetPort === '') return port;
  return targetPort;
}

/**
 * The container port a named targetPort resolves to on these containers, as
 * the EndpointSlice controller resolves it (podutil.FindPort): the name AND
 * the protocol must match, and only regular containers serve (an init
 * container's ports are not endpoints).
 */
export function containerPortNamed(containers: readonly Container[], name: string, protocol: ServicePort['protocol']): ContainerPort | undefined {
  for (const c of containers) {
    if (c.init) continue;
    for (const p of c.ports) if (p.name === name && p.protocol === protocol) return p;
  }
  return undefined;
}
