// kube-proxy conformance: scenarios ported from kube-proxy's own tests
// (iptables, nftables, IPVS), run through the engine, compared with what
// upstream expects. Prints "N cases, M agreed" per mode; any disagreement
// fails with the case, its upstream origin and the difference.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../../src/core/model/model-index';
import { toIptablesSave } from '../../../../src/core/trace/iptables-save';
import { packetFlow } from '../../../../src/core/trace/kube-proxy-flow';
import { iptablesRules } from '../../../../src/core/trace/kube-proxy-iptables';
import { ipvsVirtualServers } from '../../../../src/core/trace/kube-proxy-ipvs';
import { nftNames, nftStatements, nftTransaction } from '../../../../src/core/trace/kube-proxy-nftables';
import { proxyView } from '../../../../src/core/trace/kube-proxy-path';
import { POD_CIDR, TEST_NODE, TEST_NODE_IPS, type Case, type DumpCase, type IpvsCase, type Mode } from './harness';
import { IPTABLES_CASES } from './iptables.cases';
import { IPVS_CASES } from './ipvs.cases';
import { NFTABLES_CASES } from './nftables.cases';

export const KUBE_PROXY_CASES: readonly Case[] = [...IPTABLES_CASES, ...NFTABLES_CASES, ...IPVS_CASES];

/** Upstream lines we leave out on purpose (see kube-proxy-iptables.ts): the localhost NodePort accounting rule. */
function deliberatelyOmitted(line: string): boolean {
  return /-m nfacct /.test(line);
}

function servicePort(c: DumpCase | IpvsCase) {
  const svc = c.model.services.find((s) => s.namespace === c.service.namespace && s.name === c.service.name)!;
  const sp = svc.ports.find((p) => (p.name ?? '') === (c.service.port ?? '') && p.protocol === (c.service.protocol ?? 'TCP'))!;
  return { svc, sp };
}

function sorted(lines: readonly string[]): string[] {
  return lines.map((l) => l.replace(/\s+/g, ' ').trim()).sort();
}

/** The difference, or undefined when the case agrees. */
export function runCase(c: Case): string | undefined {
  const index = new ModelIndex(c.model);
  if (c.kind === 'dump') {
    const { svc, sp } = servicePort(c);
    const view = proxyView(index, svc, sp, c.family ?? 4, c.node ?? {});
    if (c.mode === 'iptables') {
      const ours = sorted(iptablesRules(view.port, view.categorized, { clusterCIDR: POD_CIDR, nodeIP: c.node?.ip }).map((r) => r.text));
      const theirs = sorted(c.expected.filter((l) => !deliberatelyOmitted(l)).map((l) => toIptablesSave(l, c.family ?? 4)));
      return diff(theirs, ours);
    }
    const ours = sorted(nftTransaction(nftNames(view.port).table, nftStatements(view.port, view.categorized, { clusterCIDR: POD_CIDR, nodeIP: c.node?.ip })));
    return diff(sorted(c.expected), ours);
  }
  if (c.kind === 'flow') {
    const v6 = c.sourceIP.includes(':');
    const answer = packetFlow(
      index,
      { name: TEST_NODE, ip: v6 ? '2001:db8::1' : '192.168.0.2', addresses: TEST_NODE_IPS, nodePortAddresses: c.nodePortAddresses },
      { sourceIP: c.sourceIP, destIP: c.destIP, destPort: c.destPort, protocol: c.protocol },
      v6 ? 'fd00:10::/64' : POD_CIDR,
      c.mode === 'nftables' ? 'nftables' : 'iptables',
    );
    const output = typeof answer.output === 'string' ? answer.output : answer.output.join(', ');
    if (output !== c.output) return `output: expected "${c.output}", got "${output}"`;
    if (c.masq !== undefined && typeof answer.output !== 'string' && answer.output.length > 0 && answer.masquerade !== c.masq) {
      return `masquerade: expected ${c.masq}, got ${answer.masquerade}`;
    }
    return undefined;
  }
  const { svc, sp } = servicePort(c);
  const view = proxyView(index, svc, sp, c.family ?? 4, { name: c.node });
  const ours: Record<string, string[]> = {};
  for (const vs of view.servesFamily ? ipvsVirtualServers(view.port, view.categorized, c.nodeIPs) : []) {
    ours[`${vs.protocol} ${vs.address}:${vs.port}${vs.persistent !== undefined ? ` persistent ${vs.persistent}` : ''}`] = [...vs.realServers].sort();
  }
  const theirs = Object.fromEntries(Object.entries(c.expected).map(([k, v]) => [k, [...v].sort()]));
  try {
    assert.deepEqual(ours, theirs);
    return undefined;
  } catch {
    return `expected ${JSON.stringify(theirs)}, got ${JSON.stringify(ours)}`;
  }
}

function diff(expected: string[], actual: string[]): string | undefined {
  const missing = expected.filter((l) => !actual.includes(l));
  const extra = actual.filter((l) => !expected.includes(l));
  if (missing.length === 0 && extra.length === 0 && expected.length === actual.length) return undefined;
  return [...missing.map((l) => `  missing: ${l}`), ...extra.map((l) => `  extra:   ${l}`)].join('\n');
}

describe('trace conformance: kube-proxy (iptables, nftables, IPVS)', () => {
  const tally = new Map<Mode, { cases: number; agreed: number }>();
  after(() => {
    const lines = [...tally].map(([mode, t]) => `${mode}: ${t.cases} cases, ${t.agreed} agreed`);
    const all = [...tally.values()].reduce((a, t) => ({ cases: a.cases + t.cases, agreed: a.agreed + t.agreed }), { cases: 0, agreed: 0 });
    console.log(`      kube-proxy conformance: ${lines.join('; ')}; total ${all.cases} cases, ${all.agreed} agreed`);
  });
  for (const c of KUBE_PROXY_CASES) {
    it(`${c.mode}: ${c.name} [${c.upstream}]`, () => {
      const t = tally.get(c.mode) ?? { cases: 0, agreed: 0 };
      tally.set(c.mode, t);
      t.cases++;
      const d = runCase(c);
      if (d === undefined) t.agreed++;
      assert.equal(d, undefined, `disagrees with ${c.upstream}:\n${d}`);
    });
  }
  it('has at least 45 cases across the three modes', () => {
    assert.ok(KUBE_PROXY_CASES.length >= 45, `${KUBE_PROXY_CASES.length} cases`);
    for (const m of ['iptables', 'nftables', 'ipvs'] as const) assert.ok(KUBE_PROXY_CASES.some((c) => c.mode === m), m);
  });
});
