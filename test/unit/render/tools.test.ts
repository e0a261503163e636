// Finding helm and kustomize/kubectl: settings, the Kubernetes extension's
// settings and tools folder, PATH; Helm's major from the real binaries; the
// render controller's cancel and one-run-per-chart rules, on real renders.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RenderController, renderOne, rendersAffectedBy } from '../../../src/core/source/render/controller';
import { CLOSED_PROXY, renderEnvironment } from '../../../src/core/source/render/env';
import { findHelm, findKustomize, type ToolHost } from '../../../src/core/source/render/tools';
import type { HelmRenderSpec, RenderResult, RenderSpec } from '../../../src/core/source/render/types';
import { helmBinaries, missingTool, renderTools } from '../../fixtures/render-tools';

function host(home: string, path = ''): ToolHost {
  return { env: { PATH: path }, home, platform: 'linux', arch: 'x64' };
}

describe('render tools', function () {
  this.timeout(30_000);
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'kni-tools-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  for (const { major, path } of helmBinaries()) {
    it(`reads Helm ${major}'s major from helm version --short`, async function () {
      if (!path) return missingTool(this, `helm ${major}`);
      const found = await findHelm({ helmPath: path }, host(home));
      assert.equal(found.tool?.major, major);
      assert.equal(found.tool?.from, 'setting');
      assert.match(found.tool?.version ?? '', new RegExp(`^v${major}\\.`));
    });
  }

  it("finds helm where VS Code's Kubernetes extension installs it, and at the path its settings record", async function () {
    const helm = renderTools().helm4;
    if (!helm) return missingTool(this, 'helm 4');
    const installed = join(home, '.vs-kubernetes', 'tools', 'helm', 'linux-amd64', 'helm');
    mkdirSync(dirname(installed), { recursive: true });
    symlinkSync(helm, installed);
    const fromFolder = await findHelm({}, host(home));
    assert.equal(fromFolder.tool?.command, installed);
    assert.equal(fromFolder.tool?.from, 'vs-kubernetes');
    const recorded = join(home, 'elsewhere', 'helm');
    mkdirSync(dirname(recorded), { recursive: true });
    symlinkSync(helm, recorded);
    const fromSetting = await findHelm({ kubernetesExtension: { 'vs-kubernetes.helm-path.linux': recorded } }, host(home));
    assert.equal(fromSetting.tool?.command, recorded);
  });

  it('finds helm on PATH, and says Helm 2 is not supported', async () => {
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'helm'), '#!/bin/sh\necho "Client: v2.17.0+ga690bad"\n');
    chmodSync(join(bin, 'helm'), 0o755);
    const found = await findHelm({}, host(home, bin));
    assert.match(found.problem ?? '', /Helm v2\.17\.0.*renders need Helm 3 or 4/);
  });

  it('prefers kustomize, then kubectl (the extension\'s, then PATH\'s); a kni.kustomize.path naming kubectl is kubectl', () => {
    const bin = join(home, 'bin');
    mkdirSync(bin);
    for (const t of ['kubectl', 'kustomize']) {
      writeFileSync(join(bin, t), '#!/bin/sh\n');
      chmodSync(join(bin, t), 0o755);
    }
    assert.deepEqual(findKustomize({}, host(home, bin)).tool, { command: join(bin, 'kustomize'), kind: 'kustomize', from: 'path' });
    rmSync(join(bin, 'kustomize'));
    assert.deepEqual(findKustomize({}, host(home, bin)).tool, { command: join(bin, 'kubectl'), kind: 'kubectl', from: 'path' });
    assert.deepEqual(findKustomize({ kustomizePath: join(bin, 'kubectl') }, host(home, '')).tool, { command: join(bin, 'kubectl'), kind: 'kubectl', from: 'setting' });
    assert.match(findKustomize({}, host(home, '')).problem ?? '', /neither kustomize nor kubectl was found/);
  });

  it('gives renders an environment without the user\'s Helm setup, kubeconfig or network', () => {
    const env = renderEnvironment({ PATH: '/usr/bin', HOME: '/home/u', KUBECONFIG: '/home/u/.kube/config', HELM_PLUGINS: '/home/u/plugins', HTTPS_PROXY: 'http://corp:3128', SECRET_TOKEN: 'x' });
    assert.equal(env.PATH, '/usr/bin');
    assert.equal(env.SECRET_TOKEN, undefined);
    assert.notEqual(env.HOME, '/home/u');
    assert.notEqual(env.KUBECONFIG, '/home/u/.kube/config');
    assert.notEqual(env.HELM_PLUGINS, '/home/u/plugins');
    assert.equal(env.HTTPS_PROXY, CLOSED_PROXY);
    assert.equal(env.https_proxy, CLOSED_PROXY);
    assert.equal(env.NO_PROXY, '');
  });
});

describe('render controller', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kni-controller-'));
    mkdirSync(join(root, 'c', 'templates'), { recursive: true });
    writeFileSync(join(root, 'c', 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 0.1.0\n');
    writeFileSync(join(root, 'c', 'values.yaml'), 'port: 80\n');
    writeFileSync(join(root, 'c', 'templates', 'svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n    - port: {{ .Values.port }}\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const spec = (name: string, set: Record<string, string> = {}): HelmRenderSpec => ({ kind: 'helm', chart: 'c', release: 'r', namespace: 'default', values: [], set, name });

  it('cancels a render superseded by a newer request, and never runs two renders of one chart at once', async function () {
    const helm = renderTools().helm4;
    if (!helm) return missingTool(this, 'helm 4');
    const found = await findHelm({ helmPath: helm });
    let active = 0;
    let most = 0;
    let runs = 0;
    const controller = new RenderController(async (s: RenderSpec, signal: AbortSignal) => {
      active++;
      runs++;
      most = Math.max(most, active);
      try {
        return await renderOne(s, { helm: found }, { cwd: root, signal });
      } finally {
        active--;
      }
    });
    const first = controller.render(spec('a', { port: '81' }));
    const second = controller.render(spec('a', { port: '82' }));
    const other = controller.render(spec('b', { port: '83' }));
    const [r1, r2, r3] = await Promise.all([first, second, other]);
    assert.equal(r1, undefined, 'the superseded render resolves undefined');
    const port = (r: RenderResult | undefined) => /port: (\d+)/.exec(r?.documents[0]?.text ?? '')?.[1];
    assert.equal(port(r2), '82');
    assert.equal(port(r3), '83');
    assert.equal(most, 1);
    assert.ok(runs <= 3);
    assert.deepEqual(
      rendersAffectedBy('c/values.yaml', [{ spec: spec('a'), result: r2 }]).map((s) => s.name),
      ['a'],
    );
    assert.deepEqual(rendersAffectedBy('other/x.yaml', [{ spec: spec('a'), result: r2 }]), []);
    controller.dispose();
    assert.equal(await controller.render(spec('a')), undefined);
  });
});
