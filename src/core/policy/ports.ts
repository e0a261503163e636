// Sets of (protocol, port) as sorted disjoint ranges per protocol: what a
// NetworkPolicy rule's `ports` allow once named ports are resolved on the
// destination Pod's containers.
import type { Container, PolicyPort, Protocol } from '../model/types';

export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const MAX_PORT = 65535;

type Range = [number, number];

export class PortSet {
  private readonly ranges = new Map<Protocol, Range[]>();

  static all(): PortSet {
    const s = new PortSet();
    for (const p of PROTOCOLS) s.add(p, 1, MAX_PORT);
    return s;
  }

  static none(): PortSet {
    return new PortSet();
  }

  add(protocol: Protocol, from: number, to: number): this {
    if (to < from) return this;
    const list = this.ranges.get(protocol) ?? [];
    list.push([Math.max(1, from), Math.min(MAX_PORT, to)]);
    list.sort((a, b) => a[0] - b[0]);
    const merged: Range[] = [];
    for (const r of list) {
      const last = merged[merged.length - 1];
      if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    }
    this.ranges.set(protocol, merged);
    return this;
  }

  addAll(other: PortSet): this {
    for (const [p, list] of other.ranges) for (const [a, b] of list) this.add(p, a, b);
    return this;
  }

  intersect(other: PortSet): PortSet {
    const out = new PortSet();
    for (const [p, mine] of this.ranges) {
      const theirs = other.ranges.get(p) ?? [];
      for (const [a, b] of mine) {
        for (const [c, d] of theirs) {
          const lo = Math.max(a, c);
          const hi = Math.min(b, d);
          if (lo <= hi) out.add(p, lo, hi);
        }
      }
    }
    return out;
  }

  /** The ports of this set that are not in `other`. */
  minus(other: PortSet): PortSet {
    const out = new PortSet();
    for (const [p, mine] of this.ranges) {
      const theirs = other.ranges.get(p) ?? [];
      for (const [a, b] of mine) {
        let from = a;
        for (const [c, d] of theirs) {
          if (d < from || c > b) continue;
          if (c > from) out.add(p, from, c - 1);
          from = Math.max(from, d + 1);
          if (from > b) break;
        }
        if (from <= b) out.add(p, from, b);
      }
    }
    return out;
  }

  /** The protocol's ranges, sorted and disjoint (inclusive ends). */
  rangesOf(protocol: Protocol): readonly (readonly [number, number])[] {
    return this.ranges.get(protocol) ?? [];
  }

  has(protocol: Protocol, port: number): boolean {
    return (this.ranges.get(protocol) ?? []).some(([a, b]) => port >= a && port <= b);
  }

  isEmpty(): boolean {
    for (const list of this.ranges.values()) if (list.length > 0) return false;
    return true;
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => {
      const list = this.ranges.get(p);
      return list !== undefined && list.length === 1 && list[0][0] === 1 && list[0][1] === MAX_PORT;
    });
  }

  equals(other: PortSet): boolean {
    return this.key() === other.key();
  }

  /** A stable text key. */
  key(): string {
    return this.format().join(',');
  }

  /** "all", or one word per protocol: "TCP/80,443,8000-8100 UDP/53 SCTP/*" ("none" when empty). */
  formatCompact(): string {
    if (this.isAll()) return 'all';
    const out: string[] = [];
    for (const p of PROTOCOLS) {
      const list = this.ranges.get(p) ?? [];
      if (list.length === 0) continue;
      out.push(`${p}/${list.map(([a, b]) => (a === 1 && b === MAX_PORT ? '*' : a === b ? `${a}` : `${a}-${b}`)).join(',')}`);
    }
    return out.length === 0 ? 'none' : out.join(' ');
  }

  /** The set `format` wrote ("all" or ["TCP/80", "TCP/9000-9100", "UDP/*"]); words it does not know are left out. */
  static parse(list: 'all' | readonly string[]): PortSet {
    if (list === 'all') return PortSet.all();
    const set = new PortSet();
    for (const word of list) {
      const m = /^(TCP|UDP|SCTP)\/(?:(\*)|(\d+)(?:-(\d+))?)$/.exec(word);
      if (!m) continue;
      const protocol = m[1] as Protocol;
      if (m[2]) set.add(protocol, 1, MAX_PORT);
      else set.add(protocol, Number(m[3]), Number(m[4] ?? m[3]));
    }
    return set;
  }

  /** ["TCP/80", "TCP/32000-32768", "UDP/*"]: `*` is every port of the protocol. */
  format(): string[] {
    const out: string[] = [];
    for (const p of PROTOCOLS) {
      for (const [a, b] of this.ranges.get(p) ?? []) {
        if (a === 1 && b === MAX_PORT) out.push(`${p}/*`);
        else out.push(a === b ? `${p}/${a}` : `${p}/${a}-${b}`);
      }
    }
    return out;
  }
}

/**
 * The ports one rule allows toward a destination with these containers.
 * `ports: []` allows everything. A named port resolves to the destination
 * container port with that name and protocol (every container is looked at,
 * as the network plugins do); a name no container declares allows nothing.
 * `destinationContainers` undefined: the destination is not a known Pod
 * (an address outside the cluster), where named ports match nothing.
 */
export function rulePorts(ports: readonly PolicyPort[], destinationContainers: readonly Container[] | undefined): PortSet {
  if (ports.length === 0) return PortSet.all();
  const set = new PortSet();
  for (const pp of ports) {
    const protocol = pp.protocol ?? 'TCP';
    if (pp.port === undefined) set.add(protocol, 1, MAX_PORT);
    else if (typeof pp.port === 'number') set.add(protocol, pp.port, pp.endPort !== undefined && pp.endPort >= pp.port ? pp.endPort : pp.port);
    else {
      for (const n of resolveNamedPort(pp.port, protocol, destinationContainers ?? [])) set.add(protocol, n, n);
    }
  }
  return set;
}

/** Container port numbers declaring this name and protocol (init containers included). */
export function resolveNamedPort(name: string, protocol: Protocol, containers: readonly Container[]): number[] {
  const out: number[] = [];
  for (const c of containers) {
    for (const p of c.ports) if (p.name === name && p.protocol === protocol) out.push(p.containerPort);
  }
  return out;
}
