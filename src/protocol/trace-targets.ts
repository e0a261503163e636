// What "Trace request" (the editor's CodeLenses, the quick pick, the
// `kni.traceRequest` command) asks the inspector to pin. One type for the
// editor, the inspector's host and the core's topology, which finds the drawn
// node each kind starts at.

/** A transport protocol a NetworkPolicy port names. */
export type TraceProtocol = 'TCP' | 'UDP' | 'SCTP';

/** Egress from a workload to the world outside: any address, or an address range (an egress rule's ipBlock). */
export interface EgressTraceTarget {
  /** The model id of the workload the request leaves from. */
  from: string;
  /** The range the rule names; absent: any address outside the cluster. */
  cidr?: string;
  port?: number;
  protocol?: TraceProtocol;
}

/** Container to container inside one Pod: a port of the workload's own Pods, at localhost. */
export interface LocalhostTraceTarget {
  /** The model id of the workload (or Pod) whose containers connect. */
  from: string;
  /** A container port, by number or name. */
  port: number | string;
}

export type TraceTarget =
  /** A Service port. */
  | { serviceId: string; port?: number }
  /** A URL (with the method and headers a Gateway API route rule matches on). */
  | { url: string; method?: string; headers?: Record<string, string> }
  | { egress: EgressTraceTarget }
  /** Pod to Pod: from one workload (model id) to a Pod of another, straight to its address. */
  | { podToPod: { from: string; to: string; port?: number | string } }
  /** localhost inside a workload's Pod: no Service, no kube-proxy, no policy. */
  | { localhost: LocalhostTraceTarget };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length < 4096;
const isPortNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535;

/** Validates a target handed to `kni.traceRequest` (by a lens, a link, or another extension). */
export function isTraceTarget(value: unknown): value is TraceTarget {
  if (!isObject(value)) return false;
  if (typeof value.url === 'string') {
    return (value.method === undefined || typeof value.method === 'string') && (value.headers === undefined || (isObject(value.headers) && Object.values(value.headers).every((x) => typeof x === 'string')));
  }
  if (value.egress !== undefined) {
    const e = value.egress;
    return (
      isObject(e) &&
      isText(e.from) &&
      (e.cidr === undefined || isText(e.cidr)) &&
      (e.port === undefined || isPortNumber(e.port)) &&
      (e.protocol === undefined || e.protocol === 'TCP' || e.protocol === 'UDP' || e.protocol === 'SCTP')
    );
  }
  if (value.localhost !== undefined) {
    const l = value.localhost;
    return isObject(l) && isText(l.from) && (isPortNumber(l.port) || isText(l.port));
  }
  if (value.podToPod !== undefined) {
    const p = value.podToPod;
    return isObject(p) && isText(p.from) && isText(p.to) && (p.port === undefined || isPortNumber(p.port) || isText(p.port));
  }
  return typeof value.serviceId === 'string' && (value.port === undefined || typeof value.port === 'number');
}
