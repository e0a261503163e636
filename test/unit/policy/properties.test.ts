// Properties of NetworkPolicy evaluation over random models (fast-check):
// no policy allows everything; a deny-all never adds a connection; a rule
// added to a policy never removes one; the connectivity matrix (by classes)
// agrees with the one-connection evaluator on every pair and port.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { AdminNetworkPolicy, AdminPolicyPeer, AdminPolicyRule, NetworkModel, NetworkPolicy, PolicyPeer, PolicyRule, Protocol, Workload } from '../../../src/core/model/types';
import { cidrContains, connectivityMatrix, PortSet, possiblePorts, evaluateDirection, evaluatePolicies, externalSubject, parseCidr, workloadSubject, type ConnectivityEntry, type PodSubject } from '../../../src/core/policy';
import { model, namespace, policy, sel, workload } from '../../fixtures/trace/build';

const NS = ['a', 'b', 'c'];
const APPS = ['web', 'api', 'db'];
const PROBES: [Protocol, number][] = [
  ['TCP', 80],
  ['TCP', 8080],
  ['TCP', 5432],
  ['UDP', 53],
];

const arbWorkload = fc.record({
  ns: fc.constantFrom(...NS),
  app: fc.constantFrom(...APPS),
  tier: fc.constantFrom('x', 'y'),
  port: fc.constantFrom(80, 8080, 5432),
  host: fc.constantFrom(false, false, false, true),
});
const arbPeer: fc.Arbitrary<PolicyPeer> = fc.oneof(
  fc.record({ app: fc.constantFrom(...APPS) }).map(({ app }) => ({ podSelector: sel({ app }) })),
  fc.record({ ns: fc.constantFrom(...NS) }).map(({ ns }) => ({ namespaceSelector: sel({ team: ns }) })),
  fc.record({ ns: fc.constantFrom(...NS), tier: fc.constantFrom('x', 'y') }).map(({ ns, tier }) => ({ namespaceSelector: sel({ team: ns }), podSelector: sel({ tier }) })),
  fc.constantFrom<PolicyPeer>(
    { ipBlock: { cidr: '0.0.0.0/0', except: [] } },
    { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
    { ipBlock: { cidr: '10.1.0.0/16', except: [] } },
    { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } },
  ),
);
const arbRule: fc.Arbitrary<PolicyRule> = fc.record({
  peers: fc.array(arbPeer, { maxLength: 2 }),
  ports: fc.array(
    fc.oneof(
      fc.constantFrom(80, 8080, 5432).map((port) => ({ protocol: 'TCP' as const, port })),
      fc.constant({ protocol: 'TCP' as const, port: 'http' }),
      fc.constant({ protocol: 'TCP' as const, port: 8000, endPort: 8100 }),
      fc.constant({ protocol: 'UDP' as const }),
    ),
    { maxLength: 2 },
  ),
});
const arbPolicy = fc.record({
  ns: fc.constantFrom(...NS),
  app: fc.option(fc.constantFrom(...APPS)),
  types: fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(arbRule, { maxLength: 2 }),
  egress: fc.array(arbRule, { maxLength: 2 }),
});

// Admin tiers: subjects and peers by namespace or Pod, egress to networks, ports, Allow/Deny/Pass; priorities that may tie.
const arbAdminPeer: fc.Arbitrary<AdminPolicyPeer> = fc.oneof(
  fc.constantFrom(...NS).map((ns) => ({ namespaces: sel({ team: ns }) })),
  fc.constantFrom(...APPS).map((app) => ({ pods: { namespaceSelector: sel(), podSelector: sel({ app }) } })),
  fc.constantFrom<AdminPolicyPeer>({ networks: ['0.0.0.0/0', '::/0'] }, { networks: ['10.0.0.0/8'] }, { namespaces: sel() }, { nodes: sel() }, { nodes: sel({ role: 'edge' }) }),
);
const arbAdminRule = (baseline: boolean): fc.Arbitrary<AdminPolicyRule> =>
  fc.record({
    action: baseline ? fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny') : fc.constantFrom<'Allow' | 'Deny' | 'Pass'>('Allow', 'Deny', 'Pass'),
    peers: fc.array(arbAdminPeer, { minLength: 1, maxLength: 2 }),
    ports: fc.option(
      fc.array(
        fc.oneof(
          fc.constantFrom(80, 8080, 5432).map((port) => ({ protocol: 'TCP' as const, port })),
          fc.constant({ protocol: 'TCP' as const, port: 8000, endPort: 8100 }),
          fc.constant({ protocol: 'UDP' as const, port: 53 }),
          fc.constant({ protocol: 'TCP' as const, namedPort: 'http' }),
        ),
        { minLength: 1, maxLength: 2 },
      ),
      { nil: undefined },
    ),
  }).map((r) => ({ name: `r${n++}`, action: r.action, actionWritten: r.action, peers: r.peers, ...(r.ports ? { ports: r.ports } : {}) }));
const arbAdminPolicy = fc.boolean().chain((baseline) =>
  fc.record({
    baseline: fc.constant(baseline),
    priority: fc.constantFrom(1, 2, 2, 3),
    subject: fc.oneof(
      fc.constantFrom(...NS).map((ns) => ({ namespaces: sel({ team: ns }) })),
      fc.constantFrom(...APPS).map((app) => ({ pods: { namespaceSelector: sel(), podSelector: sel({ app }) } })),
    ),
    ingress: fc.array(arbAdminRule(baseline), { maxLength: 2 }),
    egress: fc.array(arbAdminRule(baseline), { maxLength: 2 }),
  }),
);

function adminPolicies(list: { baseline: boolean; priority: number; subject: AdminNetworkPolicy['subject']; ingress: AdminPolicyRule[]; egress: AdminPolicyRule[] }[]): AdminNetworkPolicy[] {
  // One baseline at most, as the API allows.
  let baselines = 0;
  return list.flatMap((p) => {
    if (p.baseline && baselines++ > 0) return [];
    const name = p.baseline ? 'default' : `anp-${n++}`;
    return [
      {
        id: `admin#${name}`,
        kind: p.baseline ? ('BaselineAdminNetworkPolicy' as const) : ('AdminNetworkPolicy' as const),
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        name,
        namespace: '',
        labels: {},
        annotations: {},
        origin: { source: 'manifest' as const, file: 'admin.yaml' },
        tier: p.baseline ? ('Baseline' as const) : ('Admin' as const),
        ...(p.baseline ? {} : { priority: p.priority }),
        subject: p.subject,
        ingress: p.ingress,
        egress: p.egress,
      },
    ];
  });
}

let n = 0;
interface GenWorkload {
  ns: string;
  app: string;
  tier: string;
  port: number;
  host?: boolean;
}
interface GenPolicy {
  ns: string;
  app: string | null;
  types: ('Ingress' | 'Egress')[];
  ingress: PolicyRule[];
  egress: PolicyRule[];
}

function build(ws: GenWorkload[], ps: GenPolicy[]): NetworkModel {
  const workloads: Workload[] = ws.map((w) => workload(w.ns, `${w.app}-${n++}`, { app: w.app, tier: w.tier }, { ports: [[w.port, 'http']], hostNetwork: w.host ?? false }));
  const networkPolicies: NetworkPolicy[] = ps.map((p) =>
    policy(p.ns, `p${n++}`, p.app ? sel({ app: p.app }) : sel(), { policyTypes: p.types, ingress: p.ingress, egress: p.egress }),
  );
  // Namespace "c" is not declared: its labels are unknown to the set.
  return model({ namespaces: [namespace('a', { team: 'a' }), namespace('b', { team: 'b' })], workloads, networkPolicies });
}

function allows(e: ConnectivityEntry, which: 'allowed' | 'possible', proto: Protocol, port: number): boolean {
  return (which === 'allowed' ? PortSet.parse(e.allowed) : possiblePorts(e)).has(proto, port);
}

function entries(m: NetworkModel): Map<string, ConnectivityEntry> {
  const out = new Map<string, ConnectivityEntry>();
  for (const e of connectivityMatrix(m, new ModelIndex(m)).entries()) out.set(`${e.from}>${e.to}`, e);
  return out;
}

const arbModel = fc.tuple(fc.array(arbWorkload, { minLength: 1, maxLength: 6 }), fc.array(arbPolicy, { maxLength: 4 }));
const arbAdminModel = fc.tuple(fc.array(arbWorkload, { minLength: 1, maxLength: 5 }), fc.array(arbPolicy, { maxLength: 3 }), fc.array(arbAdminPolicy, { minLength: 1, maxLength: 3 }));

describe('policy: properties', () => {
  it('with no policies everything is allowed', () => {
    fc.assert(
      fc.property(fc.array(arbWorkload, { minLength: 1, maxLength: 8 }), (ws) => {
        for (const e of entries(build(ws, [])).values()) assert.equal(e.allowed, 'all');
      }),
      { numRuns: 50 },
    );
  });

  it('adding a deny-all policy never adds a connection', () => {
    fc.assert(
      fc.property(arbModel, fc.constantFrom(...NS), fc.constantFrom<('Ingress' | 'Egress')[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']), ([ws, ps], ns, types) => {
        const before = build(ws, ps);
        const after: NetworkModel = { ...before, networkPolicies: [...before.networkPolicies, policy(ns, 'deny-all', sel(), { policyTypes: types })] };
        const b = entries(before);
        for (const [k, e] of entries(after)) {
          for (const [proto, port] of PROBES) {
            if (allows(e, 'allowed', proto, port)) assert.ok(allows(b.get(k)!, 'allowed', proto, port), `${k} ${proto}/${port}`);
            if (allows(e, 'possible', proto, port)) assert.ok(allows(b.get(k)!, 'possible', proto, port), `${k} ${proto}/${port} (possible)`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('adding an allow rule to a policy never removes a connection', () => {
    fc.assert(
      fc.property(arbModel.filter(([, ps]) => ps.length > 0), arbRule, fc.nat(), ([ws, ps], extra, pick) => {
        const before = build(ws, ps);
        const i = pick % before.networkPolicies.length;
        const p = before.networkPolicies[i];
        const grown: NetworkPolicy = { ...p, ingress: [...p.ingress, extra], egress: [...p.egress, extra] };
        const after: NetworkModel = { ...before, networkPolicies: before.networkPolicies.map((x, j) => (j === i ? grown : x)) };
        const a = entries(after);
        for (const [k, e] of entries(before)) {
          for (const [proto, port] of PROBES) {
            if (allows(e, 'allowed', proto, port)) assert.ok(allows(a.get(k)!, 'allowed', proto, port), `${k} ${proto}/${port}`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the matrix agrees with the one-connection evaluator on every pair and port', () => {
    fc.assert(
      fc.property(arbModel, ([ws, ps]) => agrees(build(ws, ps))),
      { numRuns: 80 },
    );
  });

  it('with admin tiers too (AdminNetworkPolicy, NetworkPolicy, BaselineAdminNetworkPolicy): the same decision', () => {
    let decided = 0;
    fc.assert(
      fc.property(arbAdminModel, ([ws, ps, admins]) => {
        const m = { ...build(ws, ps), adminNetworkPolicies: adminPolicies(admins) };
        agrees(m);
        for (const e of connectivityMatrix(m, new ModelIndex(m)).entries()) if (e.decidedBy) decided++;
      }),
      { numRuns: 80 },
    );
    assert.ok(decided > 0, 'some pairs were decided by an admin rule');
  });
});

/** The matrix (by classes) and the one-connection evaluator agree on every pair and port. */
function agrees(m: NetworkModel): void {
  const index = new ModelIndex(m);
  const matrix = connectivityMatrix(m, index);
  const byKey = new Map(m.workloads.map((w) => [`${w.namespace}/${w.kind}/${w.name}`, w]));
  for (const e of matrix.entries()) {
    const to = byKey.get(e.to);
    const source = e.from === 'external' ? externalSubject() : workloadSubject(byKey.get(e.from)!);
    if (!to) {
      checkOutside(index, e, source as PodSubject);
      continue;
    }
    for (const [protocol, port] of PROBES) {
      const v: string = evaluatePolicies(index, { source, destination: workloadSubject(to), protocol, port }).allowed;
      assert.equal(allows(e, 'allowed', protocol, port), v === 'yes', `${e.from} -> ${e.to} ${protocol}/${port}: evaluator ${v}, matrix ${JSON.stringify(e)}`);
      assert.equal(allows(e, 'possible', protocol, port), v !== 'no', `${e.from} -> ${e.to} ${protocol}/${port} possible: evaluator ${v}, matrix ${JSON.stringify(e)}`);
    }
  }
}

/** Addresses probed inside each range a destination outside the cluster stands for. */
const PROBE_ADDRESSES = ['10.0.0.1', '10.1.0.1', '10.1.255.254', '10.200.3.4', '8.8.8.8', '192.168.1.1'];

/**
 * To "external" (an address not known in advance) the matrix is the
 * evaluator's answer; to a range, "allowed" means allowed to every address
 * of it and "possible" to some: checked on addresses inside it.
 */
function checkOutside(index: ModelIndex, e: ConnectivityEntry, source: PodSubject): void {
  for (const [protocol, port] of PROBES) {
    if (e.to === 'external') {
      const v = evaluateDirection(index, 'egress', source, { kind: 'external', name: 'an address outside', family: 4, objectIds: [] }, protocol, port).allowed;
      assert.equal(allows(e, 'allowed', protocol, port), v === 'yes', `${e.from} -> external ${protocol}/${port}: evaluator ${v}, matrix ${JSON.stringify(e)}`);
      assert.equal(allows(e, 'possible', protocol, port), v !== 'no', `${e.from} -> external ${protocol}/${port} possible: evaluator ${v}, matrix ${JSON.stringify(e)}`);
      continue;
    }
    const range = parseCidr(e.to)!;
    const inside = PROBE_ADDRESSES.filter((ip) => cidrContains(range, ip));
    const verdicts = inside.map((ip) => evaluateDirection(index, 'egress', source, { kind: 'external', name: ip, ip, family: 4, objectIds: [] }, protocol, port).allowed);
    if (allows(e, 'allowed', protocol, port)) assert.ok(verdicts.every((v) => v === 'yes'), `${e.from} -> ${e.to} ${protocol}/${port}: allowed, but the evaluator says ${verdicts} for ${inside}`);
    if (verdicts.some((v) => v === 'yes')) assert.ok(allows(e, 'possible', protocol, port), `${e.from} -> ${e.to} ${protocol}/${port}: the evaluator allows some address (${inside}: ${verdicts}), the matrix ${JSON.stringify(e)}`);
    if (!allows(e, 'possible', protocol, port)) assert.ok(verdicts.every((v) => v === 'no'), `${e.from} -> ${e.to} ${protocol}/${port}: denied, but the evaluator says ${verdicts}`);
  }
}

describe('policy: connectivity groups (properties)', () => {
  const same = (a: ConnectivityEntry | undefined, b: ConnectivityEntry | undefined) => JSON.stringify([a?.allowed, a?.conditional]) === JSON.stringify([b?.allowed, b?.conditional]);
  // Models with many workloads alike (few labels), so classes and groups merge.
  const arbCrowd = fc.tuple(fc.array(arbWorkload, { minLength: 1, maxLength: 14 }), fc.array(arbPolicy, { maxLength: 4 }));

  it('the grouped answer is the ungrouped answer for every pair, and no two groups could be one', () => {
    fc.assert(
      fc.property(arbCrowd, ([ws, ps]) => {
        const m = build(ws, ps);
        const matrix = connectivityMatrix(m, new ModelIndex(m));
        const grouped = matrix.grouped();
        const table = new Map<string, ConnectivityEntry>();
        for (const e of grouped.connections()) table.set(`${e.from}>${e.to}`, e);
        const keys = matrix.workloads.map((w) => `${w.namespace}/${w.kind}/${w.name}`);
        // Every workload in exactly one group, in model order.
        assert.deepEqual(grouped.groups.flatMap((g) => g.members).sort(), [...keys].sort());
        const outside = matrix.externalDestinations;
        assert.equal(table.size, (grouped.groups.length + 1) * grouped.groups.length + grouped.groups.length * outside.length);
        for (const e of matrix.entries()) {
          const from = e.from === 'external' ? 'external' : grouped.groupOf(e.from)!.id;
          const g = table.get(`${from}>${outside.includes(e.to) ? e.to : grouped.groupOf(e.to)!.id}`);
          assert.ok(same(g, e), `${e.from} -> ${e.to}: grouped ${JSON.stringify(g)}, ungrouped ${JSON.stringify(e)}`);
        }
        // Coarsest: the first members of two groups always differ somewhere.
        const sources = ['external', ...keys];
        const firsts = grouped.groups.map((g) => g.members[0]);
        for (let i = 0; i < firsts.length; i++) {
          for (let j = i + 1; j < firsts.length; j++) {
            const [u, v] = [firsts[i], firsts[j]];
            const differ =
              !same(matrix.between(u, u), matrix.between(u, v)) ||
              !same(matrix.between(u, u), matrix.between(v, u)) ||
              !same(matrix.between(u, u), matrix.between(v, v)) ||
              keys.some((w) => w !== u && w !== v && !same(matrix.between(u, w), matrix.between(v, w))) ||
              outside.some((d) => !same(matrix.between(u, d), matrix.between(v, d))) ||
              sources.some((w) => w !== u && w !== v && !same(matrix.between(w, u), matrix.between(w, v)));
            assert.ok(differ, `${u} and ${v} answer alike against everyone but are in two groups`);
          }
        }
      }),
      { numRuns: 120, seed: 1717 },
    );
  });

  it('rows are computed one at a time: the first row of entries() computes one row of class pairs', () => {
    const m = build(
      Array.from({ length: 12 }, (_, i) => ({ ns: NS[i % 3], app: APPS[i % 3], tier: i % 2 ? 'x' : 'y', port: 80 })),
      [{ ns: 'a', app: 'web', types: ['Ingress'], ingress: [{ peers: [{ podSelector: sel({ app: 'api' }) }], ports: [] }], egress: [] }],
    );
    const matrix = connectivityMatrix(m, new ModelIndex(m));
    const it = matrix.entries();
    for (let i = 0; i < matrix.workloads.length; i++) it.next();
    const { classes, classPairs } = matrix.stats();
    assert.ok(classes > 1);
    assert.equal(classPairs, classes, 'only the external row');
  });
});
