// A partial read of a live cluster (some resource types answer 403) is a
// result with its gaps named in every output, never a clean-looking report:
// JSON `unread`/`notChecked`, SARIF invocations, a text line above the summary,
// exit code 3 where the run would otherwise exit 0; rules and policy verdicts
// that rest on what was not read stay silent or say "unknown".
import assert from 'node:assert/strict';
import { runConnectivity } from '../../../src/cli/connectivity';
import { runLint } from '../../../src/cli/lint';
import { runTrace } from '../../../src/cli/trace';
import { RULES, type RuleId } from '../../../src/core/rules/catalogue';
import { RULE_READS, rulesNotChecked, withoutUnreadDependents } from '../../../src/core/rules/unread';
import type { Finding } from '../../../src/core/findings/types';
import { ClusterFindings } from '../../../src/core/cluster/findings';
import { emptyConfig } from '../../../src/core/config/types';
import type { TestApiServer } from '../../k8s-api-server/server';
import { connected, shopServer } from './helpers';

function cli() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (t: string) => (out.stdout += t), stderr: (t: string) => (out.stderr += t), isTTY: false, cwd: process.cwd() } };
}

interface JsonFinding {
  rule: string;
  severity: string;
  file: string;
}

describe('partial cluster reads: kni lint --cluster', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  it('403 on NetworkPolicies: JSON names what was not read and the rules not applied; no policy verdict', async function () {
    srv = await shopServer();
    const full = cli();
    await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '-n', 'shop', '--format', 'json'], full.io);
    const complete = JSON.parse(full.out.stdout);
    assert.deepEqual(complete.unread, []);
    assert.deepEqual(complete.notChecked, []);
    assert.ok(complete.findings.some((f: JsonFinding) => f.rule === 'service-blocked-by-policy'), 'the complete read finds the blocked Service');

    srv.forbid('networkpolicies', 'shop');
    const { out, io } = cli();
    const code = await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '-n', 'shop', '--format', 'json'], io);
    const report = JSON.parse(out.stdout);
    assert.deepEqual(report.unread, [{ resource: 'networkpolicies', namespace: 'shop', reason: 'forbidden (403)', consequence: 'policy verdicts unknown' }]);
    assert.deepEqual(report.notChecked, [{ rule: 'service-blocked-by-policy', because: ['networkpolicies'] }]);
    assert.ok(!report.findings.some((f: JsonFinding) => f.rule === 'service-blocked-by-policy'), out.stdout);
    // What does not depend on policies is still reported, with its exit code.
    const errors = report.findings.filter((f: JsonFinding) => f.severity === 'error').length;
    assert.equal(code, errors > 0 ? 1 : 3, out.stderr);
  });

  it('text: the partial read is a line right above the summary; SARIF: an unsuccessful invocation with notifications', async function () {
    srv = await shopServer();
    srv.forbid('networkpolicies', 'shop');
    const text = cli();
    await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '-n', 'shop'], text.io);
    const lines = text.out.stdout.trimEnd().split('\n');
    assert.equal(
      lines[lines.length - 2],
      'Partial read, results incomplete: could not read networkpolicies in shop (forbidden (403): policy verdicts unknown). Not checked there: service-blocked-by-policy.',
      text.out.stdout,
    );
    assert.match(lines[lines.length - 1], /problems? \(|No problems/);

    const sarif = cli();
    await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '-n', 'shop', '--format', 'sarif'], sarif.io);
    const run = JSON.parse(sarif.out.stdout).runs[0];
    assert.equal(run.invocations.length, 1);
    assert.equal(run.invocations[0].executionSuccessful, false);
    const notes = run.invocations[0].toolExecutionNotifications;
    assert.deepEqual(
      notes.map((n: { descriptor: { id: string }; level: string; message: { text: string } }) => [n.descriptor.id, n.level, n.message.text]),
      [
        ['partial-read', 'warning', 'Could not read networkpolicies in shop (forbidden (403)): policy verdicts unknown.'],
        ['rules-not-applied', 'warning', 'Not checked where those resources are unread: service-blocked-by-policy.'],
      ],
    );
  });

  it('a complete read: SARIF invocation successful, no notifications', async function () {
    srv = await shopServer();
    const sarif = cli();
    await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '-n', 'shop', '--format', 'sarif'], sarif.io);
    assert.deepEqual(JSON.parse(sarif.out.stdout).runs[0].invocations, [{ executionSuccessful: true }]);
  });

  it('403 on Pods: no false "selector matches no Pod" (or any rule that reads Pods); the Services\' endpoints still come from EndpointSlices', async function () {
    srv = await shopServer();
    srv.forbid('pods');
    const { out, io } = cli();
    const code = await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--format', 'json'], io);
    const report = JSON.parse(out.stdout);
    assert.deepEqual(report.unread.map((u: { resource: string }) => u.resource), ['pods']);
    const podRules = Object.entries(RULE_READS).filter(([, r]) => r.resources.includes('pods')).map(([id]) => id);
    for (const f of report.findings) assert.ok(!podRules.includes(f.rule), `a finding that rests on unread Pods: ${JSON.stringify(f)}`);
    assert.ok(report.notChecked.some((n: { rule: string }) => n.rule === 'service-no-matching-pods'));
    const errors = report.findings.filter((f: JsonFinding) => f.severity === 'error').length;
    assert.equal(code, errors > 0 ? 1 : 3);

    // The trace reads the endpoints from the EndpointSlices: real Pod IPs.
    const trace = cli();
    await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/frontend:80', '--format', 'json'], trace.io);
    const result = JSON.parse(trace.out.stdout);
    assert.ok(result.endpoints.length > 0, trace.out.stdout);
    for (const e of result.endpoints) assert.match(e.target, /^\d+\.\d+\.\d+\.\d+$/);
    assert.deepEqual(result.unread.map((u: { resource: string }) => u.resource), ['pods']);
  });

  it('exit 3 for a partial read that finds no error', async function () {
    srv = await shopServer();
    // Every error of the shop rests on Pods or policies; without them nothing is certain.
    srv.forbid('pods');
    srv.forbid('networkpolicies');
    const { out, io } = cli();
    const code = await runLint(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--format', 'json'], io);
    const report = JSON.parse(out.stdout);
    assert.equal(report.summary.errors, 0, out.stdout);
    assert.equal(code, 3);
  });
});

describe('partial cluster reads: kni trace --cluster and kni connectivity --cluster', function () {
  let srv: TestApiServer;
  afterEach(async function () {
    await srv?.close();
  });

  // Namespace by namespace: a 403 in shop leaves the policies of ingress-nginx read.
  const from = ['--from', 'workload/shop/Deployment/frontend', '-n', 'shop,ingress-nginx'];

  it('NetworkPolicies unread: the policy verdict is unknown, never "allowed" (exit 1, unresolved)', async function () {
    srv = await shopServer();
    const before = cli();
    assert.equal(await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/catalog:80', ...from, '--format', 'json'], before.io), 1);
    assert.equal(JSON.parse(before.out.stdout).verdict, 'dropped', 'default-deny drops it on a complete read');

    srv.forbid('networkpolicies', 'shop');
    const { out, io } = cli();
    const code = await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/catalog:80', ...from, '--format', 'json'], io);
    const result = JSON.parse(out.stdout);
    assert.equal(code, 1);
    assert.equal(result.verdict, 'unresolved', out.stdout);
    assert.match(result.reason, /the NetworkPolicies in shop, which could not be read \(forbidden \(403\)\), allow it/);
    const ingress = result.hops.find((h: { kind: string; policy?: { direction: string } }) => h.kind === 'policy' && h.policy?.direction === 'ingress');
    assert.equal(ingress.policy.allowed, 'unknown');
    assert.match(ingress.detail, /unknown: the NetworkPolicies in shop could not be read/);
    for (const e of result.endpoints) assert.equal(e.allowed, 'unknown');
    assert.deepEqual(result.unread, [{ resource: 'networkpolicies', namespace: 'shop', reason: 'forbidden (403)', consequence: 'policy verdicts unknown' }]);

    const text = cli();
    await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/catalog:80', ...from], text.io);
    assert.match(text.out.stdout, /\nPartial read, results incomplete: could not read networkpolicies in shop \(forbidden \(403\): policy verdicts unknown\)\.\nverdict: unresolved: /);
  });

  it('Pods unread: a --from workload is a Pod of its namespace with labels unknown, not "not in the set"', async function () {
    srv = await shopServer();
    srv.forbid('pods', 'shop');
    const { out, io } = cli();
    const code = await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/cart:8080', ...from, '--format', 'json'], io);
    const result = JSON.parse(out.stdout);
    assert.equal(code, 1);
    // cart admits only Pods labelled app=frontend: with the source's labels unknown, so is the verdict.
    assert.equal(result.verdict, 'unresolved', out.stdout);
    assert.ok(result.endpoints.length > 0, 'the endpoints come from the EndpointSlices');
    assert.match(JSON.stringify(result.hops), /Deployment shop\/frontend \(Pods in shop could not be read: forbidden \(403\); labels unknown\)/);
    assert.doesNotMatch(result.reason, /not in the set/);
  });

  it('delivered on a partial read exits 3', async function () {
    srv = await shopServer();
    srv.forbid('nodes');
    const { out, io } = cli();
    const code = await runTrace(['--cluster', '--kubeconfig', srv.kubeconfigPath, '--to', 'svc/shop/cart:8080', ...from, '--format', 'json'], io);
    const result = JSON.parse(out.stdout);
    assert.equal(result.verdict, 'delivered', out.stdout);
    assert.equal(code, 3);
    assert.deepEqual(result.unread.map((u: { resource: string }) => u.resource), ['nodes']);
  });

  it('connectivity: pairs into or out of a namespace whose policies are unread are only conditional', async function () {
    srv = await shopServer();
    const full = cli();
    const ns = ['-n', 'shop,ingress-nginx'];
    assert.equal(await runConnectivity(['--cluster', '--kubeconfig', srv.kubeconfigPath, ...ns, '--all', '--format', 'json'], full.io), 0, full.out.stderr);
    const fullJson = JSON.parse(full.out.stdout);
    assert.deepEqual(fullJson.unread, []);
    const before = fullJson.connections as { from: string; to: string; allowed: unknown; conditional?: { ports: unknown; if: string[] }[] }[];
    const pair = (list: typeof before, f: string, t: string) => list.find((e) => e.from === f && e.to === t);
    assert.deepEqual(pair(before, 'shop/Deployment/frontend', 'shop/Deployment/catalog')?.allowed, []);

    srv.forbid('networkpolicies', 'shop');
    const { out, io } = cli();
    assert.equal(await runConnectivity(['--cluster', '--kubeconfig', srv.kubeconfigPath, ...ns, '--all', '--format', 'json'], io), 3);
    const partialJson = JSON.parse(out.stdout);
    assert.deepEqual(partialJson.unread, [{ resource: 'networkpolicies', namespace: 'shop', reason: 'forbidden (403)', consequence: 'policy verdicts unknown' }]);
    const after = partialJson.connections as typeof before;
    const e = pair(after, 'shop/Deployment/frontend', 'shop/Deployment/catalog');
    assert.deepEqual(e?.allowed, []);
    assert.match(e?.conditional?.[0].if[0] ?? '', /^the NetworkPolicies in shop, which could not be read \(forbidden \(403\)\), allow it out and in$/);
    // A pair outside shop keeps its certain answer.
    const other = after.find((x) => x.from.startsWith('ingress-nginx/') && x.to.startsWith('ingress-nginx/'));
    assert.ok(other);
    assert.deepEqual(other, pair(before, other.from, other.to));
    // Into shop from outside: only what the unread policies of shop let in.
    assert.match(pair(after, 'external', 'shop/Deployment/frontend')?.conditional?.[0].if[0] ?? '', /^the NetworkPolicies in shop, which could not be read \(forbidden \(403\)\), allow it in/);
    assert.match(out.stderr, /kni connectivity: Partial read, results incomplete: could not read networkpolicies in shop/);
  });
});

describe('partial cluster reads: the rules', function () {
  it('every rule that declares what it reads is a catalogue rule', function () {
    const ids = new Set<string>(RULES.map((r) => r.id));
    for (const id of Object.keys(RULE_READS)) assert.ok(ids.has(id), id);
  });

  const finding = (rule: RuleId, namespace: string): Finding => ({
    rule,
    severity: 'error',
    message: 'm',
    loc: { file: '', start: 0, end: 0 },
    object: { kind: 'Service', namespace, name: 'x' },
    related: [],
    fixes: [],
  });

  it('withholds a finding only where what it reads is unread', function () {
    const model = { unread: [{ resource: 'pods', namespace: 'shop', reason: 'forbidden (403)', consequence: 'c' }] };
    const kept = withoutUnreadDependents(model, [finding('service-no-matching-pods', 'shop'), finding('service-no-matching-pods', 'pay'), finding('service-port-invalid', 'shop')]);
    assert.deepEqual(kept.map((f) => `${f.rule} ${f.object?.namespace}`), ['service-no-matching-pods pay', 'service-port-invalid shop']);
    // A rule that reads across namespaces is withheld everywhere.
    assert.deepEqual(withoutUnreadDependents(model, [finding('networkpolicy-peer-selects-nothing', 'pay')]), []);
    assert.deepEqual(
      rulesNotChecked(model, (r) => r !== 'networkpolicy-port-missing').map((n) => n.rule),
      ['ingress-backend-no-endpoints', 'networkpolicy-peer-selects-nothing', 'networkpolicy-selects-nothing', 'service-blocked-by-policy', 'service-no-matching-pods', 'service-protocol-mismatch', 'service-selects-many-workloads', 'service-target-port-missing'],
    );
    const all = [finding('service-no-matching-pods', 'shop')];
    assert.equal(withoutUnreadDependents({}, all), all);
  });

  it('the editor\'s cluster findings withhold them too', async function () {
    const srv = await shopServer();
    const readsPods = (f: Finding) => RULE_READS[f.rule]?.resources.includes('pods') ?? false;
    const full = await connected(srv);
    full.stop();
    assert.ok(new ClusterFindings(emptyConfig()).update(full.model()).findings.some(readsPods), 'the complete read has findings that read Pods');
    srv.forbid('pods');
    const src = await connected(srv);
    try {
      const { findings } = new ClusterFindings(emptyConfig()).update(src.model());
      assert.deepEqual(findings.filter(readsPods), []);
    } finally {
      src.stop();
      await srv.close();
    }
  });
});
