// The language server's renders and code lenses over a scripted client: the
// example chart and overlay rendered with the real helm and kubectl in a
// trusted workspace (findings on the template line, the values line related, a save
// re-rendering), nothing run in an untrusted one (said once), trust granted
// later turning renders on, and the shop example's lenses.
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic } from 'vscode-languageserver/node';
import { DID_CHANGE_RENDERS, DID_CHANGE_TOOL_PATHS, DID_GRANT_TRUST, RENDERS_REQUEST, TRACE_REQUEST_COMMAND, type RendersResult } from '../../../src/protocol/lsp';
import { start, type Client } from '../../fixtures/lsp/scripted-client';
import { toolsFrom } from '../../../src/server/server';
import { missingTool, renderTools } from '../../fixtures/render-tools';

const uri = (p: string) => pathToFileURL(p).href;
/** Resolves when `test` holds (checked every 20 ms), or fails after 10 s. */
async function until(test: () => boolean): Promise<void> {
  for (let waited = 0; !test(); waited += 20) {
    if (waited > 10_000) throw new Error('not within 10 s');
    await new Promise((done) => setTimeout(done, 20));
  }
}
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;

describe('kni lsp renders and code lenses (scripted client)', function () {
  this.timeout(60_000);
  let c: Client | undefined;
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kni-lsp-renders-'));
    cpSync(resolve('examples/charts'), join(dir, 'charts'), { recursive: true });
    cpSync(resolve('examples/kustomize'), join(dir, 'kustomize'), { recursive: true });
  });

  afterEach(async () => {
    await c?.close();
    c = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const values = () => join(dir, 'charts/api/values.yaml');
  const template = () => join(dir, 'charts/api/templates/service.yaml');
  const config = () => join(dir, '.kni.yaml');
  const targetPortMissing = (d: Diagnostic[]) => d.some((x) => x.code === 'service-target-port-missing');

  it('renders the chart and the overlay in a trusted workspace: findings on the template with the values line, lenses on the template, a save re-renders', async function () {
    const { helm4, kubectl } = renderTools();
    if (!helm4 || !kubectl) return missingTool(this, 'helm 4 and kubectl');
    c = await start(dir, {}, null, { trusted: true, helmPath: helm4, kustomizePath: kubectl });
    let told = 0;
    c.rpc.onNotification(DID_CHANGE_RENDERS, () => void told++);
    const text = readFileSync(values(), 'utf8');
    const [finding] = (await c.waitFor(uri(template()), targetPortMissing)).filter((x) => x.code === 'service-target-port-missing');
    assert.equal(finding.range.start.line, lineOf(readFileSync(template(), 'utf8'), 'targetPort:'), 'on the template line');
    assert.equal(finding.source, 'kni');
    const related = finding.relatedInformation?.find((r) => r.location.uri === uri(values()));
    assert.equal(related?.location.range.start.line, lineOf(text, 'targetPort: web'), 'the values line that sets the port, related');
    // The chart's templates are a render's input, not loose manifests: no manifest-template on them.
    assert.ok(!(c.pushed.get(uri(template())) ?? []).some((x) => x.code === 'manifest-template'));
    // The overlay's patch line carries its own finding.
    const patch = join(dir, 'kustomize/overlays/prod/orders-service.yaml');
    const [selector] = (await c.waitFor(uri(patch), (d) => d.some((x) => x.code === 'service-no-matching-pods'))).filter((x) => x.code === 'service-no-matching-pods');
    assert.equal(selector.range.start.line, lineOf(readFileSync(patch, 'utf8'), 'app: orders-v2'), 'on the patch line that sets the selector');

    // The renders as a status bar would list them, after the server said they changed.
    await until(() => told > 0);
    const { renders, off } = await c.rpc.sendRequest<RendersResult>(RENDERS_REQUEST);
    assert.equal(off, undefined);
    assert.deepEqual(renders.map((r) => [r.kind, r.name, r.state]), [
      ['helm', 'api (charts/api/values.yaml; release "api" from the folder name, namespace "default")', 'rendered'],
      ['kustomize', 'kustomize/overlays/prod', 'rendered'],
    ]);
    for (const r of renders) assert.deepEqual([r.folder, r.id.slice(0, 2)], [basename(dir), '0:'], 'the first folder, by its name');

    // The Service in the template gets its lenses, computed in the rendered release.
    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(template()), languageId: 'yaml', version: 1, text: readFileSync(template(), 'utf8') } });
    const lenses = await c.rpc.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(template()) } });
    const trace = lenses.find((l) => l.command?.command === TRACE_REQUEST_COMMAND);
    assert.ok(trace, JSON.stringify(lenses));
    assert.equal(trace.command?.title, 'Trace request');
    assert.equal(trace.range.start.line, 0, 'above the Service');
    const [argument] = trace.command?.arguments as [{ serviceId: string; render?: string }];
    assert.match(argument.render ?? '', /^0:/, 'traced in the render of the first folder');
    assert.match(argument.serviceId, /#\d+$/, argument.serviceId);
    assert.ok(lenses.some((l) => l.command?.command === '' && /pod/.test(l.command.title)), 'what the Service reaches');

    // On the template line: a disable comment Helm copies above the rendered line; no document-wide one (a template is not the YAML analysed).
    const actions = await c.rpc.sendRequest<CodeAction[]>('textDocument/codeAction', { textDocument: { uri: uri(template()) }, range: finding.range, context: { diagnostics: [finding] } });
    assert.deepEqual(actions.map((x) => x.title), ['Disable service-target-port-missing for this line']);
    assert.equal(actions[0].edit?.changes?.[uri(template())]?.[0].newText, '      # kni-disable-next-line service-target-port-missing\n');

    // The fix typed and saved in the client: the render runs again (on the save, not the keystroke) and the finding goes.
    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: uri(values()), languageId: 'yaml', version: 1, text } });
    const fixed = text.replace('targetPort: web', 'targetPort: http');
    await c.rpc.sendNotification('textDocument/didChange', { textDocument: { uri: uri(values()), version: 2 }, contentChanges: [{ text: fixed }] });
    writeFileSync(values(), fixed);
    await c.rpc.sendNotification('textDocument/didSave', { textDocument: { uri: uri(values()) } });
    await c.waitFor(uri(template()), (d) => !targetPortMissing(d));
    assert.deepEqual(c.messages, [], 'nothing to say: trusted, tools found');
  });

  it('runs nothing in a workspace the client does not say is trusted, and says why once', async () => {
    // A "helm" that leaves a mark when it runs.
    const marker = join(dir, 'ran');
    const fake = join(dir, 'helm');
    writeFileSync(fake, `#!/bin/sh\ntouch '${marker}'\nexit 1\n`);
    chmodSync(fake, 0o755);
    c = await start(dir, {}, null, { helmPath: fake, kustomizePath: fake });
    // The scan has been published (every folder's .kni.yaml is said): the template is a plain file (skipped), no render finding.
    await c.waitFor(uri(config()), () => true);
    await new Promise((done) => setTimeout(done, 300));
    assert.ok(!targetPortMissing(c.pushed.get(uri(template())) ?? []));
    assert.equal(existsSync(marker), false, 'no program ran');
    assert.equal(c.messages.length, 1, JSON.stringify(c.messages));
    assert.match(c.messages[0].message, /not trusted.*not rendered.*initializationOptions \{ trusted = true \}/);
    assert.ok(c.logs.some((l) => /not trusted/.test(l)), 'and in the log');
    const status = await c.rpc.sendRequest<RendersResult>(RENDERS_REQUEST);
    assert.deepEqual([status.renders, status.offCount], [[], 2], 'the chart and the overlay would render');
    assert.match(status.off ?? '', /not rendered in an untrusted workspace/);
  });

  it('says once when a tool is missing, naming where its path came from, and reads the chart as plain files', async () => {
    const nowhere = join(dir, 'no-such-helm');
    c = await start(dir, {}, null, { trusted: true, helmPath: nowhere, kustomizePath: nowhere });
    const chart = join(dir, 'charts/api/Chart.yaml');
    const [missing] = await c.waitFor(uri(chart), (d) => d.some((x) => x.code === 'render-tool-missing'));
    assert.match(typeof missing.message === 'string' ? missing.message : missing.message.value, /charts\/api not rendered: initializationOptions\.helmPath/);
    await c.waitFor(uri(template()), (d) => d.some((x) => x.code === 'manifest-template'));
    await until(() => c?.messages.some((m) => /Helm charts are not rendered/.test(m.message)) === true);
    const helm = c.messages.filter((m) => /Helm charts are not rendered/.test(m.message));
    assert.equal(helm.length, 1, JSON.stringify(c.messages));
    assert.equal(helm[0].type, 2, 'a warning');
    assert.match(helm[0].message, /initializationOptions\.helmPath/);
  });

  it('renders again with the tool paths the client sends later (kni/didChangeToolPaths)', async function () {
    const { helm4, kubectl } = renderTools();
    if (!helm4 || !kubectl) return missingTool(this, 'helm 4 and kubectl');
    c = await start(dir, {}, null, { trusted: true, helmPath: join(dir, 'no-such-helm') });
    await c.waitFor(uri(join(dir, 'charts/api/Chart.yaml')), (d) => d.some((x) => x.code === 'render-tool-missing'));
    await c.waitFor(uri(template()), (d) => d.some((x) => x.code === 'manifest-template'));
    await c.rpc.sendNotification(DID_CHANGE_TOOL_PATHS, { helmPath: helm4, kustomizePath: kubectl });
    // Rendered: the template leaves the loose manifests (no manifest-template) and carries the render's finding.
    await c.waitFor(uri(template()), (d) => targetPortMissing(d) && !d.some((x) => x.code === 'manifest-template'));
    await c.waitFor(uri(join(dir, 'charts/api/Chart.yaml')), (d) => !d.some((x) => x.code === 'render-tool-missing'));
  });

  it("renders with the helm and kubectl the Kubernetes extension records (initializationOptions.kubernetesExtension)", async function () {
    const { helm4, kubectl } = renderTools();
    if (!helm4 || !kubectl) return missingTool(this, 'helm 4 and kubectl');
    const kubernetesExtension = { 'vs-kubernetes.helm-path': helm4, 'vs-kubernetes.kubectl-path': kubectl };
    assert.deepEqual(toolsFrom({ kubernetesExtension }).kubernetesExtension, kubernetesExtension, 'passed to the tool search');
    assert.equal(toolsFrom({ kubernetesExtension: [] as unknown as Record<string, unknown> }).kubernetesExtension, undefined, 'an array is no setting');
    c = await start(dir, {}, null, { trusted: true, kubernetesExtension });
    await c.waitFor(uri(template()), (d) => targetPortMissing(d) && !d.some((x) => x.code === 'manifest-template'));
  });

  it('says in the log when initializationOptions are not what it takes, and stays untrusted', async () => {
    c = await start(dir, {}, null, { trusted: 'yes' });
    await c.waitFor(uri(config()), () => true);
    assert.ok(c.logs.some((l) => /initializationOptions ignored: expected \{ trusted\?: boolean.*"trusted":"yes"/.test(l)), JSON.stringify(c.logs));
    assert.ok(c.logs.some((l) => /not trusted/.test(l)));
  });

  it('renders once the client grants trust (kni/didGrantWorkspaceTrust)', async function () {
    const { helm4, kubectl } = renderTools();
    if (!helm4 || !kubectl) return missingTool(this, 'helm 4 and kubectl');
    c = await start(dir, {}, null, { trusted: false, helmPath: helm4, kustomizePath: kubectl });
    await c.waitFor(uri(config()), () => true);
    assert.ok(!targetPortMissing(c.pushed.get(uri(template())) ?? []), 'not rendered while untrusted');
    await c.rpc.sendNotification(DID_GRANT_TRUST, { trusted: true });
    await c.waitFor(uri(template()), targetPortMissing);
  });

  it('puts Trace egress lenses on the egress rules that name the world outside', async () => {
    const egress = resolve('examples/egress');
    const file = join(egress, '20-egress-policies.yaml');
    c = await start(egress);
    await c.waitFor(uri(join(egress, '.kni.yaml')), () => true);
    const lenses = await c.rpc.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(file) } });
    const egressLenses = lenses.filter((l) => l.command?.title.startsWith('Trace egress to '));
    assert.ok(egressLenses.some((l) => l.command?.title === 'Trace egress to 10.20.0.0/16 TCP/5432'), JSON.stringify(lenses.map((l) => l.command?.title)));
    for (const l of egressLenses) {
      assert.equal(l.command?.command, TRACE_REQUEST_COMMAND);
      assert.ok('egress' in (l.command?.arguments?.[0] as object), 'the egress target for the client to trace');
    }
  });

  it('shows the shop example\'s lenses: Trace request on Services, each Ingress path traced by URL', async () => {
    const shop = resolve('examples/shop');
    c = await start(shop);
    await c.waitFor(uri(join(shop, '30-cart.yaml')), (d) => d.length > 0);
    const cart = await c.rpc.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(join(shop, '30-cart.yaml')) } });
    const cartText = readFileSync(join(shop, '30-cart.yaml'), 'utf8');
    const serviceLine = lineOf(cartText, 'kind: Service') - 1;
    assert.deepEqual(
      cart.filter((l) => l.range.start.line === serviceLine).map((l) => [l.command?.title, l.command?.command]),
      [
        ['Trace request', TRACE_REQUEST_COMMAND],
        ['no pods match', ''],
      ],
    );
    // The model's id of the Service: its file and document.
    assert.deepEqual(cart.find((l) => l.command?.command === TRACE_REQUEST_COMMAND)?.command?.arguments, [{ serviceId: `${join(shop, '30-cart.yaml')}#1` }]);
    const ingress = await c.rpc.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uri(join(shop, '10-ingress.yaml')) } });
    const traces = ingress.filter((l) => l.command?.command === TRACE_REQUEST_COMMAND).map((l) => l.command?.arguments?.[0] as { url: string });
    assert.ok(traces.some((a) => a.url === 'https://shop.example.com/'), JSON.stringify(traces));
    assert.ok(traces.some((a) => a.url === 'https://shop.example.com/api/catalog'));
  });
});
