// Port facts shared by the rules: IANA service names, and which ports a
// workload's containers declare.
//
// Which containers count: regular containers, and init containers too. A
// native sidecar (an init container with restartPolicy: Always) keeps running
// and serves traffic, and the model does not say which init containers are
// sidecars; a plain init container that declares a port is rare. Counting
// them can only make a "port not declared" finding disappear, never invent one.
import type { ContainerPort, Workload } from '../model/types';

/**
 * Why `name` is not a valid IANA_SVC_NAME (the rule the API server applies to
 * port names and named targetPorts), or undefined when it is valid.
 */
export function invalidPortName(name: string): string | undefined {
  if (isValidPortName(name)) return undefined;
  if (name.length === 0) return 'it is empty';
  if (name.length > 15) return `it is ${name.length} characters long (at most 15)`;
  if (!/^[a-z0-9-]+$/.test(name)) return "it may contain only lowercase letters, digits and '-'";
  if (!/[a-z]/.test(name)) return 'it must contain at least one letter';
  if (name.includes('--')) return "it may not contain '--'";
  if (name.startsWith('-') || name.endsWith('-')) return "it may not begin or end with '-'";
  return undefined;
}

/** The same test as invalidPortName without the reasons: one pass, no regular expressions (it runs for every port). */
function isValidPortName(name: string): boolean {
  const n = name.length;
  if (n === 0 || n > 15) return false;
  let letter = false;
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c >= 97 && c <= 122) letter = true;
    else if (c === 45) {
      if (i === 0 || i === n - 1 || name.charCodeAt(i + 1) === 45) return false;
    } else if (c < 48 || c > 57) return false;
  }
  return letter;
}

export function validPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Every port the workload's containers declare (see the header for init containers). */
export function declaredPorts(w: Workload): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of w.containers) for (const p of c.ports) out.push(p);
  return out;
}

export function portNamed(w: Workload, name: string): ContainerPort | undefined {
  for (const c of w.containers) for (const p of c.ports) if (p.name === name) return p;
  return undefined;
}

export function portsNumbered(w: Workload, n: number): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of w.containers) for (const p of c.ports) if (p.containerPort === n) out.push(p);
  return out;
}

/** "8080/TCP http, 9090/TCP" or "no ports". */
export function describePorts(ports: readonly ContainerPort[]): string {
  if (ports.length === 0) return 'no ports';
  return ports
    .map((p) => `${p.containerPort}${p.protocol === 'TCP' ? '' : '/' + p.protocol}${p.name ? ` (${p.name})` : ''}`)
    .join(', ');
}

export { effectiveTargetPort } from '../model/service-ports';

/**
 * The container port number a workload's pods would receive on a target
 * port, or undefined when a name does not resolve (those pods get no endpoint).
 */
export function resolveTarget(w: Workload, target: number | string): number | undefined {
  return typeof target === 'number' ? target : portNamed(w, target)?.containerPort;
}
