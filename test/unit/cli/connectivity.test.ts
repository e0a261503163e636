// `kni connectivity` in-process: the grouped default, --all, --from/--to, the
// JSON shape, exit codes, and streaming with back-pressure (a fake stdout that
// counts what it holds: the command never writes while the reader is behind,
// so what is buffered stays bounded however large the output).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConnectivity } from '../../../src/cli/connectivity';
import { OutputClosedError, type CliIO } from '../../../src/cli/io';
import { CHUNK_CHARS } from '../../../src/cli/output';

const SHOP = 'test/fixtures/trace/shop';

async function run(argv: string[], io: Partial<CliIO> = {}) {
  let out = '';
  let err = '';
  const code = await runConnectivity(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd: process.cwd(), ...io });
  return { code, out, err };
}

interface Entry {
  from: string;
  to: string;
  allowed: 'all' | string[];
  conditional?: unknown;
}
interface Grouped {
  version: number;
  listing: string;
  denied: string;
  workloads: number;
  groups: { id: string; members: string[] }[];
  connections: Entry[];
}

/** `n` Deployments over `apps` app labels in two namespaces, a default deny, and policies letting app i reach app i+1. */
function bigSet(n: number, apps: number): string {
  const docs: string[] = [];
  for (const ns of ['a', 'b']) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${ns}}}`);
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: w-${i}, namespace: ${i % 2 ? 'a' : 'b'}}
spec:
  selector: {matchLabels: {app: app-${i % apps}}}
  template:
    metadata: {labels: {app: app-${i % apps}}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080, name: http}]}]}`);
  }
  for (const ns of ['a', 'b']) {
    docs.push(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: ${ns}}\nspec: {podSelector: {}, policyTypes: [Ingress]}`);
    for (let a = 0; a < apps; a++) {
      docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p-${a}, namespace: ${ns}}
spec:
  podSelector: {matchLabels: {app: app-${(a + 1) % apps}}}
  ingress: [{from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: app-${a}}}}], ports: [{port: http}]}]`);
    }
  }
  return `${docs.join('\n---\n')}\n`;
}

describe('cli: kni connectivity', () => {
  it('names an address range as a destination in the grouped text listing (it was taken for a group id)', async () => {
    const { code, out, err } = await run(['examples/egress']);
    assert.equal(err, '');
    assert.equal(code, 0);
    assert.match(out, /^payments\/Deployment\/worker -> 10\.20\.0\.0\/16: TCP\/5432$/m);
  });

  it('JSON, default: allowed connections by group; "denied" says the rest is denied', async () => {
    const r = await run([SHOP, '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as Grouped;
    assert.equal(j.version, 4);
    assert.equal(j.listing, 'allowed');
    assert.equal(j.denied, 'every pair not listed in connections');
    assert.equal(j.workloads, 2);
    assert.deepEqual(j.groups, [
      { id: 'G1', members: ['shop/Deployment/web'] },
      { id: 'G2', members: ['shop/Deployment/api'] },
    ]);
    assert.deepEqual(j.connections, [
      { from: 'external', to: 'G1', allowed: 'all' },
      { from: 'G1', to: 'G1', allowed: 'all' },
      { from: 'G1', to: 'G2', allowed: ['TCP/8080'] },
      { from: 'G1', to: 'external', allowed: 'all' },
      { from: 'G2', to: 'G1', allowed: 'all' },
      { from: 'G2', to: 'external', allowed: 'all' },
    ]);
  });

  it('JSON, --all: every ordered pair with the allowed ports, denied ones as []', async () => {
    const r = await run([SHOP, '--format', 'json', '--all']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { listing: string; connections: Entry[] };
    assert.equal(j.listing, 'all');
    // External to each, each to each, each to the world outside.
    assert.equal(j.connections.length, 2 + 2 * 2 + 2);
    const get = (from: string, to: string) => j.connections.find((e) => e.from === from && e.to === to)!.allowed;
    assert.deepEqual(get('shop/Deployment/web', 'shop/Deployment/api'), ['TCP/8080']);
    assert.deepEqual(get('shop/Deployment/api', 'shop/Deployment/api'), []);
    assert.deepEqual(get('external', 'shop/Deployment/api'), []);
    assert.equal(get('external', 'shop/Deployment/web'), 'all');
  });

  it('text: a header saying what is left out, one line an allowed pair; --all one line a pair; bad flags exit 2', async () => {
    const r = await run([SHOP]);
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      '# Allowed connections between 2 workloads, from an external client and to outside the cluster (external); every pair not listed is denied.\n' +
        'external -> shop/Deployment/web: all\n' +
        'shop/Deployment/web -> shop/Deployment/web: all\n' +
        'shop/Deployment/web -> shop/Deployment/api: TCP/8080\n' +
        'shop/Deployment/web -> external: all\n' +
        'shop/Deployment/api -> shop/Deployment/web: all\n' +
        'shop/Deployment/api -> external: all\n',
    );
    const all = await run([SHOP, '--all']);
    const lines = all.out.trim().split('\n');
    assert.equal(lines.length, 1 + 8);
    assert.ok(lines.includes('external -> shop/Deployment/api: none'));
    const bad = await run([SHOP, '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format "xml"/);
  });

  it('text, groups: a group of several workloads listed once with its members', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kni-conn-'));
    try {
      writeFileSync(join(dir, 'set.yaml'), bigSet(9, 3));
      const r = await run([dir]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^# Allowed connections between 9 workloads/);
      assert.match(r.out, /\ngroups \(3 of 3 have more than one workload\):\n {2}G1 \(3 workloads\):\n {4}b\/Deployment\/w-0\n {4}a\/Deployment\/w-3\n {4}b\/Deployment\/w-6\n/);
      assert.match(r.out, /\nG1 -> G2: TCP\/8080\nG1 -> external: all\nG2 -> G3: TCP\/8080\nG2 -> external: all\nG3 -> G1: TCP\/8080\nG3 -> external: all\n$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ports per condition: text compact, each port set with the conditions it needs; JSON clauses with "if"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kni-conn-'));
    try {
      // db takes TCP 5432 from namespaces labelled team=jobs, and every UDP and SCTP port from kind=batch; the set does not show jobs' labels.
      writeFileSync(
        join(dir, 'set.yaml'),
        `apiVersion: v1
kind: Namespace
metadata: {name: data}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: data}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: x, ports: [{containerPort: 5432, name: pg}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: batch, namespace: jobs}
spec:
  selector: {matchLabels: {app: batch}}
  template:
    metadata: {labels: {app: batch}}
    spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: data}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: jobs}}}]
    ports: [{port: pg}, {port: 8000, endPort: 8010}]
  - from: [{namespaceSelector: {matchLabels: {kind: batch}}}]
    ports: [{protocol: UDP}, {protocol: SCTP}]
`,
      );
      const text = await run([dir, '--from', 'jobs/Deployment/batch', '--to', 'data/Deployment/db']);
      assert.equal(text.err, '');
      const JOBS = 'namespace jobs (its Namespace object is not in the set) carries labels matching team=jobs';
      const BATCH = 'namespace jobs (its Namespace object is not in the set) carries labels matching kind=batch';
      assert.equal(text.out, `jobs/Deployment/batch -> data/Deployment/db: none (UDP/* SCTP/* if ${BATCH}; TCP/5432,8000-8010 if ${JOBS})\n`);
      const json = await run([dir, '--from', 'jobs/Deployment/batch', '--to', 'data/Deployment/db', '--format', 'json']);
      assert.deepEqual((JSON.parse(json.out) as Grouped).connections, [
        {
          from: 'jobs/Deployment/batch',
          to: 'data/Deployment/db',
          allowed: [],
          conditional: [
            { ports: ['UDP/*', 'SCTP/*'], if: [BATCH] },
            { ports: ['TCP/5432', 'TCP/8000-8010'], if: [JOBS] },
          ],
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--from / --to: one workload\'s row or column; both: that pair, denied or not; an unknown workload exits 2 naming near ones', async () => {
    const from = await run([SHOP, '--from', 'shop/Deployment/web']);
    assert.equal(from.out, '# Allowed connections from shop/Deployment/web; every workload not listed is denied.\nshop/Deployment/web -> shop/Deployment/web: all\nshop/Deployment/web -> shop/Deployment/api: TCP/8080\nshop/Deployment/web -> external: all\n');
    const to = await run([SHOP, '--to', 'workload/shop/deployment/api', '--all']);
    assert.equal(to.out, '# Connections to shop/Deployment/api, each workload; "none" is denied.\nexternal -> shop/Deployment/api: none\nshop/Deployment/web -> shop/Deployment/api: TCP/8080\nshop/Deployment/api -> shop/Deployment/api: none\n');
    const pair = await run([SHOP, '--from', 'external', '--to', 'shop/api', '--format', 'json']);
    assert.deepEqual(JSON.parse(pair.out), {
      version: 4,
      listing: 'all',
      focus: { from: 'external', to: 'shop/Deployment/api' },
      workloads: 2,
      connections: [{ from: 'external', to: 'shop/Deployment/api', allowed: [] }],
    });
    const unknown = await run([SHOP, '--from', 'shop/Deployment/nope']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /--from "shop\/Deployment\/nope": no such workload in the set; write NS\/KIND\/NAME/);
    const near = await run([SHOP, '--to', 'other/Deployment/api']);
    assert.match(near.err, /\(workloads named api: shop\/Deployment\/api\)/);
    const toExternal = await run([SHOP, '--to', 'external']);
    assert.equal(toExternal.out, '# Allowed connections to external; every workload not listed is denied.\nshop/Deployment/web -> external: all\nshop/Deployment/api -> external: all\n');
    const range = await run([SHOP, '--to', '10.0.0.0/8']);
    assert.equal(range.code, 2);
    assert.match(range.err, /--to 10\.0\.0\.0\/8: no egress ipBlock names this range \(none is named\); use --to external/);
    const fromRange = await run([SHOP, '--from', '10.0.0.0/8']);
    assert.match(fromRange.err, /an address range is a destination only/);
  });

  describe('streaming with back-pressure', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'kni-conn-'));
      writeFileSync(join(dir, 'set.yaml'), bigSet(120, 40));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    /** A stdout whose reader empties it only when asked to wait, as a pipe's 'drain' does. */
    function slowReader(highWaterMark: number) {
      const state = { buffered: 0, maxBuffered: 0, waits: 0, text: '', behind: false };
      const io: Partial<CliIO> = {
        stdout: (s) => {
          assert.equal(state.behind, false, 'written while the reader is behind');
          state.buffered += s.length;
          state.maxBuffered = Math.max(state.maxBuffered, state.buffered);
          state.text += s;
        },
        stdoutDrain: () => {
          if (state.buffered < highWaterMark) return undefined;
          state.waits++;
          state.behind = true;
          return new Promise<void>((resolve) =>
            setImmediate(() => {
              state.buffered = 0;
              state.behind = false;
              resolve();
            }),
          );
        },
      };
      return { io, state };
    }

    for (const args of [['--all'], ['--all', '--format', 'json'], ['--format', 'json'], ['--to', 'a/Deployment/w-1', '--all']]) {
      it(`${args.join(' ')}: the same output as written at once, never more than a chunk over the high-water mark held`, async () => {
        const whole = await run([dir, ...args]);
        const { io, state } = slowReader(16 * 1024);
        const streamed = await run([dir, ...args], io);
        assert.equal(streamed.code, 0, streamed.err);
        assert.equal(state.text, whole.out);
        if (whole.out.length > 2 * CHUNK_CHARS) assert.ok(state.waits > 0, 'the reader was waited for');
        assert.ok(state.maxBuffered <= 16 * 1024 + CHUNK_CHARS + 1024, `held ${state.maxBuffered} characters`);
      });
    }

    it('--all is large here (the test means something)', async () => {
      const r = await run([dir, '--all', '--format', 'json']);
      assert.ok(r.out.length > 10 * CHUNK_CHARS, `${r.out.length}`);
      assert.equal((JSON.parse(r.out) as { connections: unknown[] }).connections.length, 120 + 120 * 120 + 120);
    });

    it('a reader that goes away stops the output: exit 0, nothing more written', async () => {
      let writes = 0;
      const r = await run([dir, '--all'], {
        stdout: () => void writes++,
        stdoutDrain: () => (writes >= 2 ? Promise.reject(new OutputClosedError('closed')) : undefined),
      });
      assert.equal(r.code, 0);
      assert.equal(writes, 2);
      assert.equal(r.err, '');
    });
  });
});

describe('cli: kni connectivity with admin network policies', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kni-conn-admin-'));
    writeFileSync(
      join(dir, 'set.yaml'),
      `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 8080}]}]}
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: no-internet}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {team: shop}}}
  egress:
  - {name: cluster-to-networkpolicy, action: Pass, to: [{namespaces: {}}]}
  - {name: deny-internet, action: Deny, to: [{networks: [0.0.0.0/0, "::/0"]}]}
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('text names the admin rule that decided in brackets; JSON as decidedBy; a pair no policy decides names the default', async () => {
    const text = await run([dir, '--from', 'shop/Deployment/web', '--to', 'external']);
    assert.equal(text.code, 0, text.err);
    assert.equal(text.out, 'shop/Deployment/web -> external: none [egress: Deny all by AdminNetworkPolicy no-internet (priority 10) egress[1] "deny-internet"]\n');
    const json = await run([dir, '--from', 'shop/Deployment/web', '--all', '--format', 'json']);
    const connections = (JSON.parse(json.out) as { connections: (Entry & { decidedBy?: unknown[] })[] }).connections;
    assert.deepEqual(connections.find((e) => e.to === 'external')?.decidedBy, [
      { direction: 'egress', tier: 'AdminNetworkPolicy', kind: 'AdminNetworkPolicy', policy: 'no-internet', priority: 10, rule: 1, ruleName: 'deny-internet', action: 'Deny', ports: 'all' },
    ]);
    // Passed to NetworkPolicy, which isolates nothing, and no baseline: Kubernetes' default allows it, each direction said.
    const self = connections.find((e) => e.to === 'shop/Deployment/web')!;
    assert.equal(self.allowed, 'all');
    assert.deepEqual(self.decidedBy, [
      { direction: 'egress', tier: 'default', action: 'Allow', ports: 'all' },
      { direction: 'ingress', tier: 'default', action: 'Allow', ports: 'all' },
    ]);
    const selfText = await run([dir, '--from', 'shop/Deployment/web', '--to', 'shop/Deployment/web']);
    assert.equal(selfText.out, 'shop/Deployment/web -> shop/Deployment/web: all [egress: Allow all by default; ingress: Allow all by default]\n');
  });
});
