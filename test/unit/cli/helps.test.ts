// The CLI helps a user who slips: `kni rules`, suggestions for a mistyped
// command or flag, and a directory walk that reads Kubernetes objects only.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../src/cli/main';
import { RULES } from '../../../src/core/rules/catalogue';
import { closest, didYouMean, flagsOf } from '../../../src/cli/suggest';

async function kni(argv: string[], cwd = process.cwd()) {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false, cwd });
  return { code, out, err };
}

describe('cli: kni rules', () => {
  it('text: every catalogue rule once, grouped, with its default severity and title', async () => {
    const r = await kni(['rules']);
    assert.equal(r.code, 0, r.err);
    for (const rule of RULES) {
      const line = r.out.split('\n').filter((l) => l.trim().split(/\s+/)[0] === rule.id);
      assert.equal(line.length, 1, rule.id);
      assert.match(line[0], new RegExp(`^  ${rule.id} +${rule.severity} +${rule.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    }
    assert.match(r.out, /^Services:\n/);
    assert.match(r.out, new RegExp(`\\n${RULES.length} rules\\. Each is documented at \\S+README\\.md#rule-<id>\\.\\n$`));
  });
  it('JSON: id, severity, group, title, description and a link to the rule', async () => {
    const r = await kni(['rules', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { rules: Record<string, string>[] };
    assert.deepEqual(
      j.rules.map((x) => x.id),
      RULES.map((x) => x.id),
    );
    const first = j.rules[0];
    assert.deepEqual(Object.keys(first).sort(), ['description', 'group', 'helpUri', 'id', 'severity', 'title']);
    assert.match(first.helpUri, new RegExp(`README\\.md#rule-${first.id}$`));
  });
  it('usage problems exit 2', async () => {
    assert.equal((await kni(['rules', 'x.yaml'])).code, 2);
    const r = await kni(['rules', '--fromat', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^kni rules: unknown option --fromat \(did you mean --format\?\)\n/);
  });
});

describe('cli: suggestions', () => {
  it('an unknown command names the one meant', async () => {
    const r = await kni(['lnit']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^kni: unknown command "lnit" \(did you mean lint\?\)\n/);
    const far = await kni(['deploy']);
    assert.match(far.err, /^kni: unknown command "deploy"\n/);
  });
  it('an unknown flag names the flag meant, from the command\'s own usage', async () => {
    const r = await kni(['lint', '--namspace', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.err, /^kni lint: unknown option --namspace \(did you mean --namespace\?\)\n/);
    const c = await kni(['connectivity', '--formt=json']);
    assert.equal(c.code, 2);
    assert.match(c.err, /unknown option --formt \(did you mean --format\?\)/);
  });
  it('closest: case-only differences win, ties are all named, far names are not', () => {
    assert.deepEqual(closest('Lint', ['lint', 'list']), ['lint']);
    assert.deepEqual(closest('shop/cat', ['shop/cart', 'shop/cast', 'shop/catalog']), ['shop/cart', 'shop/cast']);
    assert.equal(didYouMean('api', ['web', 'db']), '');
    assert.equal(didYouMean('shop/crt', ['shop/cart']), ' (did you mean shop/cart?)');
    assert.deepEqual(flagsOf('  --format text|json   x\n  --namespace NS, -n NS  y\n  a-b --c'), ['--format', '--namespace', '-n', '--c']);
  });
});

describe('cli: which files a directory gives', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kni-helps-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80}]\n';
  it('lint without paths reads Kubernetes objects only: tsconfig.json, package.json and CI files are skipped silently', async () => {
    writeFileSync(join(dir, 'tsconfig.json'), '{\n  // comments are fine in tsconfig\n  "compilerOptions": {"strict": true,},\n}\n');
    writeFileSync(join(dir, 'package.json'), '{"name": "x", "version": "1.0.0"}\n');
    mkdirSync(join(dir, '.github'));
    writeFileSync(join(dir, '.github', 'ci.yml'), 'on: [push]\njobs:\n  build: {runs-on: [ubuntu], steps: [{run: "make"\n');
    writeFileSync(join(dir, 'svc.yaml'), SERVICE);
    const r = await kni(['lint'], dir);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.out, /tsconfig|package\.json|ci\.yml/);
    assert.match(r.out, /in 1 file, 1 object/);
  });
  it('a file named on the command line is read whatever it holds', async () => {
    writeFileSync(join(dir, 'tsconfig.json'), '{\n  // comments\n  "compilerOptions": {},\n}\n');
    const r = await kni(['lint', 'tsconfig.json'], dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /^tsconfig\.json\n.*yaml-syntax/m);
  });
  it('trace and connectivity read the same files as lint', async () => {
    writeFileSync(join(dir, 'tsconfig.json'), '{\n  // comments\n  "compilerOptions": {},\n}\n');
    writeFileSync(join(dir, 'svc.yaml'), SERVICE);
    const t = await kni(['trace', '--to', 'svc/default/web'], dir);
    assert.doesNotMatch(t.err, /tsconfig/);
  });
});
