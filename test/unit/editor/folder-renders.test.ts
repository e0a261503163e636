// The editor's renders of one folder, with the real helm and kubectl: findings
// on the values and patch lines, the files a render reads held out of the
// loose manifests, a save re-rendering only the render that read the file,
// a missing tool said once with its files read as before.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { emptyConfig } from '../../../src/core/config';
import { FolderRenders } from '../../../src/core/workspace/folder-renders';
import { renderStatus } from '../../../src/core/workspace/render-status';
import { templateDisableFix } from '../../../src/core/workspace/template-fixes';
import { missingTool, renderTools } from '../../fixtures/render-tools';

function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p).split('\\').join('/')];
  });
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

describe('editor renders of a folder (real helm and kubectl)', function () {
  this.timeout(60_000);
  let dir: string;
  let renders: FolderRenders | undefined;
  let changes = 0;

  const make = (settings: { helmPath?: string; kustomizePath?: string }) =>
    new FolderRenders({
      cwd: dir,
      rootName: 'examples',
      read: (p) => (existsSync(join(dir, p)) ? readFileSync(join(dir, p), 'utf8') : undefined),
      exists: (p) => existsSync(join(dir, p)),
      config: emptyConfig(),
      defaultNamespace: 'default',
      settings,
      debounceMs: 20,
      onChange: () => changes++,
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kni-editor-renders-'));
    cpSync(resolve('examples/charts'), join(dir, 'charts'), { recursive: true });
    cpSync(resolve('examples/kustomize'), join(dir, 'kustomize'), { recursive: true });
    writeFileSync(join(dir, 'loose.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: loose\nspec:\n  selector:\n    app: x\n  ports:\n    - port: 80\n');
    changes = 0;
  });

  afterEach(() => {
    renders?.dispose();
    renders = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the chart and the overlay, with findings on the values and patch lines, and holds their files out', async function () {
    const { helm4, kubectl } = renderTools();
    if (!helm4 || !kubectl) return missingTool(this, 'helm 4 and kubectl');
    renders = make({ helmPath: helm4, kustomizePath: kubectl });
    renders.setFiles(listFiles(dir));
    // Before the first render, everything under a render's folder is held out (no manifest-template flash).
    assert.deepEqual(renders.heldOut().folders.sort(), ['charts/api', 'kustomize/base', 'kustomize/overlays/prod']);
    await renders.whenIdle();
    assert.deepEqual(
      renders.list().map((e) => [e.spec.kind, e.state]),
      [
        ['helm', 'rendered'],
        ['kustomize', 'rendered'],
      ],
    );
    assert.ok(changes > 0, 'onChange was called');
    const held = renders.heldOut();
    assert.deepEqual(held.folders, []);
    for (const f of ['charts/api/templates/service.yaml', 'charts/api/values.yaml', 'kustomize/base/orders.yaml', 'kustomize/overlays/prod/orders-service.yaml']) assert.ok(held.files.has(f), `${f} is held out`);
    assert.ok(!held.files.has('loose.yaml'));

    const findings = renders.findings();
    const values = readFileSync(join(dir, 'charts/api/values.yaml'), 'utf8');
    const targetPort = findings.find((f) => f.rule === 'service-target-port-missing');
    assert.ok(targetPort, `no targetPort finding in ${findings.map((f) => f.rule).join(', ')}`);
    const onValues = targetPort.loc.file === 'charts/api/values.yaml' ? targetPort.loc : targetPort.related.find((r) => r.loc.file === 'charts/api/values.yaml')?.loc;
    assert.ok(onValues, 'the finding or a related location is on the values file');
    assert.equal(lineOf(values, onValues.start), values.split('\n').findIndex((l) => l.includes('targetPort: web')) + 1);
    assert.match(targetPort.message, /in render api/);
    const selector = findings.find((f) => f.rule === 'service-no-matching-pods');
    assert.ok(selector);
    assert.equal(selector.loc.file, 'kustomize/overlays/prod/orders-service.yaml');
    assert.equal(renders.sourceText('charts/api/values.yaml'), values);

    // A save of the values file re-renders the chart only.
    const before = renders.get(renders.list()[1].id)?.result;
    writeFileSync(join(dir, 'charts/api/values.yaml'), values.replace('targetPort: web', 'targetPort: http'));
    renders.fileSaved('charts/api/values.yaml');
    await renders.whenIdle();
    assert.equal(renders.findings().find((f) => f.rule === 'service-target-port-missing'), undefined, 'the finding went away with the saved fix');
    assert.equal(renders.get(renders.list()[1].id)?.result, before, 'the overlay was not rendered again');
    assert.deepEqual(
      renderStatus(renders.list().map((e) => ({ name: e.spec.name, kind: e.spec.kind, state: e.state, reason: e.reason }))).short,
      '2 renders',
    );
  });

  it('"Disable for this line" on a template line silences the rendered finding once saved; none on a line that starts with an action', async function () {
    const { helm4 } = renderTools();
    if (!helm4) return missingTool(this, 'helm 4');
    rmSync(join(dir, 'kustomize'), { recursive: true });
    renders = make({ helmPath: helm4 });
    renders.setFiles(listFiles(dir));
    await renders.whenIdle();
    const finding = renders.findings().find((f) => f.rule === 'service-target-port-missing');
    assert.ok(finding);
    const file = join(dir, finding.loc.file);
    const text = readFileSync(file, 'utf8');
    const fix = templateDisableFix(finding, text);
    assert.ok(fix, 'a fix on the targetPort line');
    assert.equal(fix.title, 'Disable service-target-port-missing for this line');
    const [edit] = fix.edits;
    assert.equal(edit.newText, '      # kni-disable-next-line service-target-port-missing\n');
    writeFileSync(file, text.slice(0, edit.loc.start) + edit.newText + text.slice(edit.loc.end));
    renders.fileSaved(finding.loc.file);
    await renders.whenIdle();
    assert.equal(renders.findings().find((f) => f.rule === 'service-target-port-missing'), undefined, 'the comment reached the rendered text');
    // A line that starts with an action: the comment would not stay right above what it renders.
    const onAction = { ...finding, loc: { ...finding.loc, start: text.indexOf('{{- include "api.selectorLabels"') } };
    assert.equal(templateDisableFix(onAction, text), undefined);
    assert.equal(templateDisableFix({ ...finding, message: `${finding.message}; position approximate: …` }, text), undefined);
  });

  it('a rule turned off (or a tool set) renders and analyses again, keeping the findings shown meanwhile', async function () {
    const { helm4 } = renderTools();
    if (!helm4) return missingTool(this, 'helm 4');
    rmSync(join(dir, 'kustomize'), { recursive: true });
    renders = make({ helmPath: join(dir, 'no-such-helm') });
    renders.setFiles(listFiles(dir));
    await renders.whenIdle();
    assert.equal(renders.list()[0].state, 'tool-missing');
    renders.reconfigure({ settings: { helmPath: helm4 } });
    await renders.whenIdle();
    assert.equal(renders.list()[0].state, 'rendered');
    assert.ok(renders.findings().some((f) => f.rule === 'service-target-port-missing'));
    renders.reconfigure({ config: { ...emptyConfig(), rules: { 'service-target-port-missing': 'off' } } });
    assert.ok(renders.findings().some((f) => f.rule === 'service-target-port-missing'), 'shown until the render is analysed again');
    await renders.whenIdle();
    assert.equal(renders.findings().find((f) => f.rule === 'service-target-port-missing'), undefined);
  });

  it('says a broken template as a failed render, at the template line', async function () {
    const { helm4 } = renderTools();
    if (!helm4) return missingTool(this, 'helm 4');
    rmSync(join(dir, 'kustomize'), { recursive: true });
    const service = join(dir, 'charts/api/templates/service.yaml');
    writeFileSync(service, readFileSync(service, 'utf8').replace('{{ .Values.service.type }}', '{{ .Values.service.type | nosuchfunction }}'));
    renders = make({ helmPath: helm4 });
    renders.setFiles(listFiles(dir));
    await renders.whenIdle();
    const [entry] = renders.list();
    assert.equal(entry.state, 'failed');
    assert.match(entry.reason ?? '', /nosuchfunction/);
    const failed = renders.findings().find((f) => f.rule === 'render-failed');
    assert.equal(failed?.loc.file, 'charts/api/templates/service.yaml');
    const status = renderStatus([{ name: entry.spec.name, kind: 'helm', state: entry.state, reason: entry.reason }]);
    assert.equal(status.worst, 'failed');
    assert.match(status.lines[0], /failed \(.*nosuchfunction/);
  });

  it('a missing tool: said once on Chart.yaml, its files read as before', async () => {
    renders = make({ helmPath: join(dir, 'no-such-helm'), kustomizePath: join(dir, 'no-such-kustomize') });
    renders.setFiles(listFiles(dir));
    await renders.whenIdle();
    assert.deepEqual(
      renders.list().map((e) => e.state),
      ['tool-missing', 'tool-missing'],
    );
    assert.deepEqual(renders.heldOut(), { files: new Set(), folders: [] });
    const missing = renders.findings().filter((f) => f.rule === 'render-tool-missing');
    assert.deepEqual(
      missing.map((f) => f.loc.file),
      ['charts/api/Chart.yaml', 'kustomize/overlays/prod/kustomization.yaml'],
    );
    assert.match(missing[0].message, /kni\.helm\.path/);
    assert.deepEqual(
      renders.toolProblems().map((p) => p.tool),
      ['helm', 'kustomize'],
    );
  });

  it('drops a render whose chart is gone, and finds a new one', async function () {
    const { helm4 } = renderTools();
    if (!helm4) return missingTool(this, 'helm 4');
    rmSync(join(dir, 'kustomize'), { recursive: true });
    renders = make({ helmPath: helm4 });
    renders.setFiles(listFiles(dir).filter((f) => !f.startsWith('charts/')));
    assert.equal(renders.list().length, 0);
    assert.equal(renders.setFiles(listFiles(dir)), true);
    await renders.whenIdle();
    assert.equal(renders.list()[0].state, 'rendered');
    assert.equal(renders.setFiles(listFiles(dir)), false, 'the same files: the same renders, not rendered again');
    const before = changes;
    assert.equal(renders.setFiles(['loose.yaml']), true);
    assert.equal(changes, before + 1, 'the render gone is reported');
    assert.equal(renders.list().length, 0);
    assert.deepEqual(renders.findings(), []);
  });
});

describe('render status text', () => {
  it('says renders are off in Restricted Mode', () => {
    const s = renderStatus([], 'not rendered in Restricted Mode', 2);
    assert.equal(s.short, '2 renders off');
    assert.equal(s.worst, 'off');
  });
  it('puts a missing tool before failures and failures before work in progress', () => {
    const s = renderStatus([
      { name: 'a', kind: 'helm', state: 'failed', reason: 'boom\nmore' },
      { name: 'b', kind: 'kustomize', state: 'tool-missing', reason: 'kustomize was not found' },
      { name: 'c', kind: 'helm', state: 'rendering' },
    ]);
    assert.equal(s.short, '1 of 3 renders need a tool');
    assert.deepEqual(s.lines, ['Chart a: failed (boom)', 'Kustomize b: not rendered (tool missing) (kustomize was not found)', 'Chart c: rendering…']);
    assert.equal(renderStatus([]).short, '');
  });
});
