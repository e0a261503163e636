// What one direction, or a whole connection, allows when the set cannot decide
// everything: the ports allowed for certain, and clauses "these ports, if all
// of these conditions hold". A port is allowed when it is certain or some
// clause holding it has all its conditions true. Each clause keeps its own
// ports, so "TCP/8080 if A" and "every port if B" never read as "every port if
// A or B", and the two ends' conditions combine as both must hold.
import { PortSet } from './ports';

export interface PortClause {
  ports: PortSet;
  /** All must hold; sorted, distinct. */
  when: readonly string[];
}

export class GuardedPorts {
  constructor(
    readonly allowed: PortSet,
    readonly clauses: readonly PortClause[] = [],
  ) {}

  static certain(ports: PortSet): GuardedPorts {
    return new GuardedPorts(ports);
  }

  /** Every port allowed for certain or under some clause. */
  possible(): PortSet {
    const out = PortSet.none().addAll(this.allowed);
    for (const c of this.clauses) out.addAll(c.ports);
    return out;
  }

  /** A port either allows (two readings, two rules). */
  or(other: GuardedPorts): GuardedPorts {
    return new GuardedPorts(PortSet.none().addAll(this.allowed).addAll(other.allowed), [...this.clauses, ...other.clauses]).normalized();
  }

  /** A port both allow (the source's egress and the destination's ingress): the conditions of both sides hold together. */
  and(other: GuardedPorts): GuardedPorts {
    const mine = [{ ports: this.allowed, when: [] as readonly string[] }, ...this.clauses];
    const theirs = [{ ports: other.allowed, when: [] as readonly string[] }, ...other.clauses];
    const clauses: PortClause[] = [];
    for (const a of mine) {
      for (const b of theirs) {
        if (a.when.length === 0 && b.when.length === 0) continue;
        const ports = a.ports.intersect(b.ports);
        if (!ports.isEmpty()) clauses.push({ ports, when: [...a.when, ...b.when] });
      }
    }
    return new GuardedPorts(this.allowed.intersect(other.allowed), clauses).normalized();
  }

  /** Everything it allows, only if `condition` holds too (one reading of the network plugin's). */
  given(condition: string): GuardedPorts {
    const clauses = [{ ports: this.allowed, when: [condition] }, ...this.clauses.map((c) => ({ ports: c.ports, when: [...c.when, condition] }))];
    return new GuardedPorts(PortSet.none(), clauses).normalized();
  }

  /**
   * The same answer written once: certain ports left out of the clauses,
   * clauses with the same conditions merged, ports a weaker clause (a subset of
   * the conditions) already opens left out of the stronger one, empty clauses
   * dropped; in a stable order.
   */
  normalized(): GuardedPorts {
    const byWhen = new Map<string, PortClause>();
    for (const c of this.clauses) {
      const when = [...new Set(c.when)].sort();
      const k = when.join('\u0000');
      const at = byWhen.get(k);
      if (at) at.ports.addAll(c.ports);
      else byWhen.set(k, { ports: PortSet.none().addAll(c.ports), when });
    }
    const merged = [...byWhen.values()];
    const out: PortClause[] = [];
    for (const c of merged) {
      let ports = c.ports.minus(this.allowed);
      for (const weaker of merged) {
        if (weaker !== c && weaker.when.length < c.when.length && weaker.when.every((w) => c.when.includes(w))) ports = ports.minus(weaker.ports);
      }
      if (!ports.isEmpty()) out.push({ ports, when: c.when });
    }
    out.sort((a, b) => a.when.length - b.when.length || (a.when.join('\u0000') < b.when.join('\u0000') ? -1 : 1));
    return new GuardedPorts(this.allowed, out);
  }

  /** A stable text key (equal answers, equal keys). */
  key(): string {
    return `${this.allowed.key()}|${this.clauses.map((c) => `${c.ports.key()}?${c.when.join('\u0000')}`).join('|')}`;
  }
}
