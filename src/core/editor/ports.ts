// Which container port a Service port's targetPort reaches in a workload, the
// way kube-proxy's endpoints do: a name is looked up among the (non-init)
// containers' named ports (name and protocol); a number (or none, or 0: the
// same as port) is found by number. Pure: no `vscode`.
import { effectiveTargetPort } from '../model/service-ports';
import type { ContainerPort, ServicePort, Workload } from '../model/types';

export interface ResolvedPort {
  container: string;
  port: ContainerPort;
}

export function resolveTargetPort(w: Workload, p: ServicePort): ResolvedPort | undefined {
  const target = effectiveTargetPort(p.port, p.targetPort);
  for (const c of w.containers) {
    if (c.init) continue;
    for (const cp of c.ports) {
      if (typeof target === 'string' ? cp.name === target && cp.protocol === p.protocol : cp.containerPort === target) return { container: c.name, port: cp };
    }
  }
  return undefined;
}
