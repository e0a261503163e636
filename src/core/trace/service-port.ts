// Which port of a Service the request is for: the one named or numbered, else
// its only port.
import type { Service, ServicePort } from '../model/types';

/** The port, or a message saying which ports there are to choose from. */
export function pickServicePort(svc: Service, port: number | string | undefined): ServicePort | string {
  const name = `${svc.namespace}/${svc.name}`;
  const list = svc.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
  if (port === undefined) {
    if (svc.ports.length === 1) return svc.ports[0];
    if (svc.ports.length === 0) return svc.type === 'ExternalName' ? { port: 0, protocol: 'TCP' } : `Service ${name} declares no ports`;
    return `Service ${name} has several ports (${list}): say which with svc/${name}:PORT`;
  }
  const found =
    typeof port === 'number' || /^\d+$/.test(port) ? svc.ports.find((p) => p.port === Number(port)) : svc.ports.find((p) => p.name === port);
  if (!found) return svc.type === 'ExternalName' ? { port: Number(port) || 0, protocol: 'TCP' } : `Service ${name} has no port ${port} (ports: ${list || 'none'})`;
  return found;
}
