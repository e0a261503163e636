import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runLint } from '../../../src/cli/lint';
import { RULES } from '../../../src/core/rules/catalogue';

async function lint(argv: string[], cwd = process.cwd(), isTTY = false) {
  let stdout = '';
  let stderr = '';
  const code = await runLint(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY, cwd });
  return { code, stdout, stderr };
}

const GOOD = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx
          ports: [{containerPort: 8080, name: http}]
`;
const BAD = GOOD.replace('selector: {app: web}', 'selector: {app: webb}');

describe('kni lint', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kni-lint-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exit 0 without errors, 1 with errors', async () => {
    writeFileSync(join(dir, 'app.yaml'), GOOD);
    assert.equal((await lint(['app.yaml'], dir)).code, 0);
    writeFileSync(join(dir, 'app.yaml'), BAD);
    const r = await lint(['app.yaml'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^app\.yaml\n {2}5:13 {2}error {4}Selector app=webb/m);
    assert.match(r.stdout, /service-no-matching-pods\n/);
    assert.match(r.stdout, /1 problem \(1 error, 0 warnings, 0 infos\) in 1 file, 2 objects/);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a terminal');
    assert.match((await lint(['app.yaml'], dir, true)).stdout, /\x1b\[31merror/);
  });

  it('a missing path is exit 2 naming it; so are bad flags', async () => {
    const r = await lint(['nowhere/else.yaml'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nowhere\/else\.yaml: no such file or directory/);
    assert.equal((await lint(['--format', 'xml'], dir)).code, 2);
    assert.equal((await lint(['--bogus'], dir)).code, 2);
    assert.equal((await lint(['--namespace'], dir)).code, 2);
  });

  it('walks directories for .yaml/.yml/.json, skipping node_modules and .git; all paths are one set', async () => {
    mkdirSync(join(dir, 'svc'));
    mkdirSync(join(dir, 'deploy', 'node_modules'), { recursive: true });
    const [svc, dep] = GOOD.split('---\n');
    writeFileSync(join(dir, 'svc', 'svc.yml'), svc);
    writeFileSync(join(dir, 'deploy', 'dep.yaml'), dep);
    writeFileSync(join(dir, 'deploy', 'node_modules', 'x.yaml'), 'not: [valid');
    writeFileSync(join(dir, 'deploy', 'README.md'), '# not a manifest');
    const r = await lint(['svc', 'deploy', '--format=json'], dir);
    assert.equal(r.code, 0, r.stdout);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.summary, { files: 2, objects: 2, errors: 0, warnings: 0, infos: 0 });
  });

  it('JSON output has exactly the documented shape', async () => {
    writeFileSync(join(dir, 'app.yaml'), BAD);
    const r = await lint(['--format', 'json', 'app.yaml'], dir);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out), ['version', 'findings', 'summary']);
    assert.equal(out.version, 1);
    const f = out.findings[0];
    assert.deepEqual(Object.keys(f), ['rule', 'severity', 'message', 'file', 'range', 'object', 'related', 'fixes']);
    assert.equal(f.rule, 'service-no-matching-pods');
    assert.equal(f.file, 'app.yaml');
    assert.deepEqual(f.range, { start: { line: 5, column: 13 }, end: { line: 5, column: 24 } });
    assert.deepEqual(f.object, { kind: 'Service', namespace: 'default', name: 'web' });
    for (const fix of f.fixes) {
      assert.deepEqual(Object.keys(fix), ['title', 'edits']);
      for (const e of fix.edits) assert.deepEqual(Object.keys(e), ['file', 'range', 'newText']);
    }
    assert.deepEqual(Object.keys(out.summary), ['files', 'objects', 'errors', 'warnings', 'infos']);
  });

  it('SARIF 2.1.0 with every rule, relative URIs and 1-based regions', async () => {
    mkdirSync(join(dir, 'k8s'));
    writeFileSync(join(dir, 'k8s', 'app.yaml'), BAD);
    const r = await lint(['--format', 'sarif', './k8s'], dir);
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'kni');
    assert.deepEqual(run.tool.driver.rules.map((x: { id: string }) => x.id), RULES.map((x) => x.id));
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text);
      assert.match(rule.helpUri, new RegExp(`#rule-${rule.id}$`));
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
    }
    const res = run.results[0];
    assert.equal(res.ruleId, 'service-no-matching-pods');
    assert.equal(res.level, 'error');
    assert.ok(res.message.text.length > 0);
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uri, 'k8s/app.yaml');
    assert.deepEqual(loc.region, { startLine: 5, startColumn: 13, endLine: 5, endColumn: 24 });
  });

  it('.kni.yaml in the working directory applies; --namespace overrides its default namespace', async () => {
    writeFileSync(join(dir, 'app.yaml'), BAD);
    writeFileSync(join(dir, '.kni.yaml'), 'rules:\n  service-no-matching-pods: warning\n');
    const r = await lint(['app.yaml', '--format', 'json'], dir);
    assert.equal(r.code, 0);
    assert.equal(JSON.parse(r.stdout).findings[0].severity, 'warning');
  });

  it('a bad configuration is exit 2 naming the file and line', async () => {
    writeFileSync(join(dir, 'app.yaml'), GOOD);
    writeFileSync(join(dir, 'kni.yaml'), 'rules:\n  service-no-matching-pods: loud\nfoo: 1\n');
    const r = await lint(['app.yaml', '--config', 'kni.yaml'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /kni\.yaml:2:29: error: rule service-no-matching-pods: "loud" is not a level/);
    assert.match(r.stderr, /kni\.yaml:3:1: error: unknown key "foo"/);
    assert.equal((await lint(['app.yaml', '--config', 'missing.yaml'], dir)).code, 2);
  });

  it('include/exclude globs from the config', async () => {
    mkdirSync(join(dir, 'testdata'));
    writeFileSync(join(dir, 'app.yaml'), GOOD);
    writeFileSync(join(dir, 'testdata', 'broken.yaml'), BAD);
    assert.equal((await lint(['.'], dir)).code, 1);
    writeFileSync(join(dir, '.kni.yaml'), 'exclude: ["testdata/**"]\n');
    assert.equal((await lint(['.'], dir)).code, 0);
  });

  it('parse problems are findings with file and line, not crashes', async () => {
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: [x\n');
    const r = await lint(['bad.yaml', '--format', 'json'], dir);
    assert.equal(r.code, 1);
    const f = JSON.parse(r.stdout).findings[0];
    assert.equal(f.rule, 'yaml-syntax');
    assert.equal(f.file, 'bad.yaml');
  });

  it('a directory that cannot be read is named on stderr, the rest is linted and reported, exit 2', async () => {
    mkdirSync(join(dir, 'locked'));
    mkdirSync(join(dir, 'open'));
    writeFileSync(join(dir, 'open', 'app.yaml'), BAD);
    writeFileSync(join(dir, 'locked', 'app.yaml'), GOOD);
    // Permissions do not stop root, so the refusal is staged where the CLI meets the file system.
    const fsModule = createRequire(__filename)('node:fs') as { readdirSync: typeof fs.readdirSync };
    const readdir = fsModule.readdirSync;
    fsModule.readdirSync = ((path: fs.PathLike, ...rest: unknown[]) => {
      if (String(path).endsWith('locked')) throw Object.assign(new Error(`EACCES: permission denied, scandir '${String(path)}'`), { code: 'EACCES' });
      return (readdir as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readdirSync;
    let r;
    try {
      r = await lint(['.', '--format', 'json'], dir);
    } finally {
      fsModule.readdirSync = readdir;
    }
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^kni lint: locked: cannot read the directory \(EACCES\); skipped, the rest is linted$/m);
    assert.match(r.stderr, /1 path could not be read \(named above\); the report covers the rest/);
    const report = JSON.parse(r.stdout);
    assert.deepEqual(
      report.findings.map((f: { rule: string; file: string }) => [f.rule, f.file]),
      [['service-no-matching-pods', join('open', 'app.yaml')]],
    );
    // The JSON says it too (a pipeline reading stdout alone must not take the report for complete).
    assert.deepEqual(report.unread, [{ path: 'locked', reason: 'cannot read the directory (EACCES)', consequence: 'nothing under it is linted' }]);
    assert.equal(report.notChecked, undefined, 'no rule is left out for a path: the report covers the rest');
  });

  it('paths that cannot be read are in the JSON unread list and in SARIF toolExecutionNotifications; a complete read has neither', async () => {
    writeFileSync(join(dir, 'app.yaml'), BAD);
    writeFileSync(join(dir, 'secret.yaml'), GOOD);
    // A file that exists but cannot be opened (permissions do not stop root: staged at the open).
    const fsModule = createRequire(__filename)('node:fs') as { openSync: typeof fs.openSync };
    const open = fsModule.openSync;
    fsModule.openSync = ((path: fs.PathLike, ...rest: unknown[]) => {
      if (String(path).endsWith('secret.yaml')) throw Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), { code: 'EACCES' });
      return (open as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.openSync;
    let json;
    let sarif;
    try {
      json = await lint(['app.yaml', 'missing.yaml', '/dev/zero', 'secret.yaml', '--format', 'json'], dir);
      sarif = await lint(['app.yaml', 'missing.yaml', '/dev/zero', 'secret.yaml', '--format', 'sarif'], dir);
    } finally {
      fsModule.openSync = open;
    }
    const expected = [
      { path: 'missing.yaml', reason: 'no such file or directory', consequence: 'not linted' },
      { path: '/dev/zero', reason: 'not a regular file (a device, pipe or socket)', consequence: 'not linted' },
      { path: 'secret.yaml', reason: 'cannot read the file (EACCES)', consequence: 'not linted' },
    ];
    assert.equal(json.code, 2);
    const report = JSON.parse(json.stdout);
    assert.deepEqual(report.unread, expected);
    assert.deepEqual(report.findings.map((f: { file: string }) => f.file), ['app.yaml'], 'the rest is still linted');

    assert.equal(sarif.code, 2);
    const [run] = JSON.parse(sarif.stdout).runs;
    assert.equal(run.results.length, 1);
    assert.equal(run.invocations.length, 1);
    assert.equal(run.invocations[0].executionSuccessful, false);
    assert.deepEqual(
      run.invocations[0].toolExecutionNotifications.map((n: { level: string; descriptor: { id: string }; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => [
        n.level,
        n.descriptor.id,
        n.locations[0].physicalLocation.artifactLocation.uri,
        n.message.text,
      ]),
      [
        ['error', 'unreadable-path', 'missing.yaml', 'Could not read missing.yaml: no such file or directory; not linted.'],
        ['error', 'unreadable-path', 'file:///dev/zero', 'Could not read /dev/zero: not a regular file (a device, pipe or socket); not linted.'],
        ['error', 'unreadable-path', 'secret.yaml', 'Could not read secret.yaml: cannot read the file (EACCES); not linted.'],
      ],
    );

    const complete = await lint(['app.yaml', '--format', 'json'], dir);
    assert.equal(JSON.parse(complete.stdout).unread, undefined);
    const completeSarif = JSON.parse((await lint(['app.yaml', '--format', 'sarif'], dir)).stdout);
    assert.equal(completeSarif.runs[0].invocations, undefined);
  });

  it('a device or a pipe named on the command line is skipped with a message, never read (no hang)', async function () {
    this.timeout(5_000);
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    writeFileSync(join(dir, 'app.yaml'), GOOD);
    const r = await lint(['/dev/zero', 'pipe.yaml', 'app.yaml'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^kni lint: \/dev\/zero: not a regular file \(a device, pipe or socket\); skipped/m);
    assert.match(r.stderr, /^kni lint: pipe\.yaml: not a regular file/m);
    assert.match(r.stdout, /No problems in 1 file|0 problems|in 1 file/);
    // In a directory, a pipe is not a manifest file: left out without a word.
    const walked = await lint(['.'], dir);
    assert.equal(walked.code, 0, walked.stderr);
  });

  it('a file over the size limit is refused by its size, before it is read; the limit is --max-file-size, else .kni.yaml maxFileSize', async function () {
    this.timeout(5_000);
    // A sparse 600 MB file: reading it whole would take seconds and 600 MB of memory. Its head says it is
    // a manifest (a file found in a directory is read only then; of a huge one, only the head is read).
    writeFileSync(join(dir, 'huge.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge}\ndata:\n  blob: |\n');
    truncateSync(join(dir, 'huge.yaml'), 600 * 1024 * 1024);
    writeFileSync(join(dir, 'app.yaml'), GOOD);
    const before = process.memoryUsage().rss;
    const r = await lint(['.', '--format', 'json'], dir);
    assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024, 'the file was not read into memory');
    assert.equal(r.code, 1);
    const [f] = JSON.parse(r.stdout).findings;
    assert.equal(f.rule, 'manifest-too-large');
    assert.equal(f.file, 'huge.yaml');
    assert.match(f.message, /huge\.yaml \(600 MB\) is larger than 10 MB.*`maxFileSize` in \.kni\.yaml, `--max-file-size` for kni, or the `kni\.maxFileSize` setting/);

    rmSync(join(dir, 'huge.yaml'));
    assert.equal((await lint(['app.yaml', '--max-file-size', '100'], dir)).code, 1, 'GOOD is over 100 bytes');
    assert.equal((await lint(['app.yaml', '--max-file-size=1KB'], dir)).code, 0);
    writeFileSync(join(dir, '.kni.yaml'), 'maxFileSize: 100\n');
    const fromConfig = await lint(['app.yaml', '--format', 'json'], dir);
    assert.equal(JSON.parse(fromConfig.stdout).findings[0].rule, 'manifest-too-large');
    assert.equal((await lint(['app.yaml', '--max-file-size', '2KB'], dir)).code, 0, 'the flag wins over the file');
    const bad = await lint(['app.yaml', '--max-file-size', 'lots'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-file-size "lots" is not a size; use a number of bytes, or a number with a unit/);
    writeFileSync(join(dir, '.kni.yaml'), 'maxFileSize: [1]\n');
    const badConfig = await lint(['app.yaml'], dir);
    assert.equal(badConfig.code, 2);
    assert.match(badConfig.stderr, /\.kni\.yaml:1:\d+: error: maxFileSize must be a number of bytes, or a number with a unit/);
  });

  it('reads UTF-16 files (as PowerShell 5 writes them) and reports bytes that are not UTF-8 at their line', async () => {
    writeFileSync(join(dir, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]));
    const ok = await lint(['utf16.yaml'], dir);
    assert.equal(ok.code, 0, ok.stdout);
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from(GOOD.replace('image: nginx', 'image: nginx # caf\u00e9'), 'latin1'));
    const r = await lint(['latin1.yaml'], dir);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^ {2}18:\d+ +error +Bytes that are not valid UTF-8 on this line .* +manifest-encoding$/m);
  });
});
