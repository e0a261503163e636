// AdminNetworkPolicies, the BaselineAdminNetworkPolicy and ClusterNetworkPolicies
// read from a live cluster (the test API server): listed and watched like the
// other types, absent API said once and no error, 403 a partial read whose
// verdicts are "unknown", never a wrong answer.
import assert from 'node:assert/strict';
import { runConnectivity } from '../../../src/cli/connectivity';
import { runTrace } from '../../../src/cli/trace';
import { toAdminNetworkPolicy } from '../../../src/core/source/cluster/admin-policies';
import type { KObject, TestApiServer } from '../../k8s-api-server/server';
import { connected, shopServer, until } from './helpers';

function cli() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), isTTY: false, cwd: process.cwd() } };
}

/** Denies the shop's frontend any egress to catalog on 8080, above the NetworkPolicies. */
const ANP: KObject = {
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'AdminNetworkPolicy',
  metadata: { name: 'no-catalog' },
  spec: {
    priority: 5,
    subject: { pods: { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { app: 'frontend' } } } },
    egress: [
      {
        name: 'deny-catalog',
        action: 'Deny',
        to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'catalog' } } } }],
        ports: [{ portNumber: { protocol: 'TCP', port: 8080 } }],
      },
    ],
  },
};

const BANP: KObject = {
  apiVersion: 'policy.networking.k8s.io/v1alpha1',
  kind: 'BaselineAdminNetworkPolicy',
  metadata: { name: 'default' },
  spec: { subject: { namespaces: {} }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] },
};

const CNP: KObject = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'dns-only' },
  spec: {
    tier: 'Admin',
    priority: 20,
    subject: { namespaces: {} },
    egress: [{ name: 'dns', action: 'Accept', to: [{ namespaces: {} }], protocols: [{ udp: { destinationPort: { number: 53 } } }, { tcp: { destinationPort: { range: { start: 5000, end: 5100 } } } }] }],
  },
};

describe('cluster: admin network policies', function () {
  let srv: TestApiServer | undefined;
  afterEach(async function () {
    await srv?.close();
    srv = undefined;
  });

  it('converts the three kinds as the manifest reader does (ClusterNetworkPolicy protocols and Accept)', function () {
    const anp = toAdminNetworkPolicy({ ...ANP, metadata: { ...ANP.metadata as object, uid: 'u1' } }, 'AdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1')!;
    assert.equal(anp.priority, 5);
    assert.equal(anp.tier, 'Admin');
    assert.deepEqual(anp.egress[0].ports, [{ protocol: 'TCP', port: 8080 }]);
    assert.deepEqual(anp.egress[0].peers[0].pods?.podSelector.matchLabels, { app: 'catalog' });
    const cnp = toAdminNetworkPolicy({ ...CNP, metadata: { name: 'dns-only', uid: 'u2' } }, 'ClusterNetworkPolicy', 'policy.networking.k8s.io/v1alpha2')!;
    assert.equal(cnp.egress[0].action, 'Allow');
    assert.equal(cnp.egress[0].actionWritten, 'Accept');
    assert.deepEqual(cnp.egress[0].ports, [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 5000, endPort: 5100 }]);
    const allowlist = toAdminNetworkPolicy(
      { metadata: { name: 'allow', uid: 'u5' }, spec: { tier: 'Admin', priority: 1, subject: { namespaces: {} }, egress: [{ action: 'Accept', to: [{ domainNames: ['api.stripe.com', '*.paypal.com'] }] }] } },
      'ClusterNetworkPolicy',
      'policy.networking.k8s.io/v1alpha2',
    )!;
    assert.deepEqual(allowlist.egress[0].peers, [{ domainNames: ['api.stripe.com', '*.paypal.com'] }]);
    const banp = toAdminNetworkPolicy({ ...BANP, metadata: { name: 'default', uid: 'u3' } }, 'BaselineAdminNetworkPolicy', 'policy.networking.k8s.io/v1alpha1')!;
    assert.equal(banp.tier, 'Baseline');
    assert.equal(banp.priority, undefined);
    // An action this reader does not know leaves its rule out (never read as Allow).
    const odd = toAdminNetworkPolicy({ ...BANP, metadata: { name: 'x', uid: 'u4' }, spec: { subject: { namespaces: {} }, ingress: [{ action: 'Pass', from: [{ namespaces: {} }] }] } }, 'BaselineAdminNetworkPolicy', 'v1alpha1')!;
    assert.deepEqual(odd.ingress, []);
  });

  it('listed and watched: the model has them, and a change arrives as an event', async function () {
    srv = await shopServer({}, [ANP, CNP]);
    const src = await connected(srv);
    try {
      const kinds = src.model().adminNetworkPolicies.map((p) => `${p.kind}/${p.name}`).sort();
      assert.deepEqual(kinds, ['AdminNetworkPolicy/no-catalog', 'ClusterNetworkPolicy/dns-only']);
      assert.deepEqual(src.notInstalled(), []);
      srv.add(BANP);
      await until(src, () => src.model().adminNetworkPolicies.some((p) => p.kind === 'BaselineAdminNetworkPolicy'), 'the BANP added by watch');
      srv.remove('AdminNetworkPolicy', '', 'no-catalog');
      await until(src, () => !src.model().adminNetworkPolicies.some((p) => p.name === 'no-catalog'), 'the ANP deleted by watch');
    } finally {
      src.stop();
    }
  });

  it('the trace and connectivity from a cluster decide by them, naming the admin rule', async function () {
    srv = await shopServer({}, [ANP]);
    const { out, io } = cli();
    await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/catalog:80', '--from', 'workload/shop/Deployment/frontend', '-n', 'shop', '--format', 'json'], io);
    const result = JSON.parse(out.stdout);
    const egress = result.hops.find((h: { kind: string; policy?: { direction: string } }) => h.kind === 'policy' && h.policy?.direction === 'egress');
    assert.equal(egress.policy.allowed, 'no', out.stdout);
    assert.match(egress.detail, /DENIED by AdminNetworkPolicy no-catalog \(priority 5\) egress\[0\] "deny-catalog"/);
    assert.doesNotMatch(out.stderr, /not installed/);

    const c = cli();
    await runConnectivity(['--cluster', '--kubeconfig', srv.kubeconfigPath, '-n', 'shop', '--from', 'shop/Deployment/frontend', '--to', 'shop/Deployment/catalog', '--format', 'json'], c.io);
    const e = JSON.parse(c.out.stdout).connections[0];
    assert.equal(e.decidedBy?.[0]?.policy, 'no-catalog', c.out.stdout);
    assert.deepEqual(e.decidedBy[0].ports, ['TCP/8080']);
  });

  it('no policy.networking.k8s.io API: no error, said once on stderr', async function () {
    srv = await shopServer();
    const src = await connected(srv);
    try {
      assert.deepEqual(src.model().adminNetworkPolicies, []);
      assert.deepEqual(src.warnings(), []);
      assert.equal(src.status().state, 'synced');
      assert.match(src.notInstalled()[0], /AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy are not installed/);
    } finally {
      src.stop();
    }
    const { out, io } = cli();
    await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/catalog:80', '--from', 'workload/shop/Deployment/frontend', '-n', 'shop'], io);
    assert.equal(out.stderr.match(/not installed/g)?.length, 1, out.stderr);
    assert.match(out.stderr, /^kni trace: note: AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy are not installed \(no policy\.networking\.k8s\.io API\): NetworkPolicy alone decides$/m);
  });

  it('403 on AdminNetworkPolicies: a partial read, verdicts that depend on them unknown, connectivity only conditional', async function () {
    srv = await shopServer({}, [ANP]);
    srv.forbid('adminnetworkpolicies');
    const { out, io } = cli();
    // cart admits frontend by NetworkPolicy: with the admin tier unread, that is no longer certain.
    const code = await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/cart:8080', '--from', 'workload/shop/Deployment/frontend', '-n', 'shop', '--format', 'json'], io);
    const result = JSON.parse(out.stdout);
    assert.equal(code, 1);
    assert.equal(result.verdict, 'unresolved', out.stdout);
    assert.deepEqual(result.unread, [{ resource: 'adminnetworkpolicies', namespace: null, reason: 'forbidden (403)', consequence: 'admin network policy tiers unknown, policy verdicts unknown' }]);
    const egress = result.hops.find((h: { kind: string; policy?: { direction: string } }) => h.kind === 'policy' && h.policy?.direction === 'egress');
    assert.equal(egress.policy.allowed, 'unknown');
    assert.match(egress.detail, /unknown: adminnetworkpolicies could not be read \(forbidden \(403\)\); of what was read: /);
    assert.match(out.stderr, /no permission to list adminnetworkpolicies: admin network policy tiers unknown/);

    const c = cli();
    assert.equal(await runConnectivity(['--cluster', '--kubeconfig', srv.kubeconfigPath, '-n', 'shop', '--all', '--format', 'json'], c.io), 3);
    const report = JSON.parse(c.out.stdout);
    for (const e of report.connections as { allowed: unknown; conditional?: { if: string[] }[] }[]) {
      assert.notEqual(e.allowed, 'all');
      for (const c of e.conditional ?? []) assert.match(c.if.join(' '), /the adminnetworkpolicies, which could not be read \(forbidden \(403\)\), allow it/);
    }
  });
});
