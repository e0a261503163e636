// Which renders a set holds, and `.kni.yaml` renders with line-precise problems.
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/config/load';
import { chartFolders, discoverRenders, includedFolders, releaseNameFor } from '../../../src/core/source/render/discover';
import { hookNote } from '../../../src/core/source/render/helm/output';

function input(files: Record<string, string>, configured?: Parameters<typeof discoverRenders>[0]['configured']) {
  return { files: Object.keys(files), read: (p: string) => files[p], exists: (p: string) => p in files, configured, defaultNamespace: 'shop' };
}

describe('render discovery', () => {
  it('finds charts, not their subcharts', () => {
    assert.deepEqual(chartFolders(['deploy/api/Chart.yaml', 'deploy/api/charts/redis/Chart.yaml', 'deploy/api/templates/x.yaml', 'web/Chart.yaml', 'Chart.yaml', 'charts/sub/Chart.yaml']), ['.', 'deploy/api', 'web']);
  });

  it('renders each chart with its own values, release from the folder, the default namespace, said in the name', () => {
    const specs = discoverRenders(input({ 'deploy/My_API/Chart.yaml': 'name: api\n' }));
    assert.equal(specs.length, 1);
    const s = specs[0];
    assert.ok(s.kind === 'helm');
    assert.equal(s.release, 'my-api');
    assert.equal(s.namespace, 'shop');
    assert.deepEqual(s.values, []);
    assert.match(s.name, /release "my-api" from the folder name, namespace "shop"/);
  });

  it('renders the Kustomize roots no other root includes (overlays, not bases)', () => {
    const specs = discoverRenders(
      input({
        'k/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
        'k/base/deployment.yaml': '',
        'k/components/tls/kustomization.yaml': 'kind: Component\n',
        'k/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n  - https://github.com/org/repo//x?ref=v1\ncomponents:\n  - ../../components/tls\n',
        'k/overlays/dev/kustomization.yml': 'bases:\n- ../../base/\n',
      }),
    );
    assert.deepEqual(specs.map((s) => (s.kind === 'kustomize' ? s.root : s.chart)), ['k/overlays/dev', 'k/overlays/prod']);
  });

  it('never renders a Component on its own, used or not (only the roots that include one build it)', () => {
    const specs = discoverRenders(
      input({
        'k/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
        'k/components/unused/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component  # opt-in\n',
        'k/components/quoted/kustomization.yaml': 'kind: "Component"\n',
        'k/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\n',
      }),
    );
    assert.deepEqual(specs.map((s) => (s.kind === 'kustomize' ? s.root : s.chart)), ['k/overlays/prod']);
  });

  it('reads included folders leniently, leaving out files and remote URLs', () => {
    assert.deepEqual(includedFolders('a/b', 'resources:\n- ../base\n- svc.yaml\n- github.com/org/repo/x\n- "./sub"\n'), ['a/base', 'a/b/sub']);
  });

  it('renders configured charts as said, several of one chart as separate sets, instead of the default', () => {
    const specs = discoverRenders(
      input({ 'deploy/api/Chart.yaml': 'name: api\n', 'web/Chart.yaml': 'name: web\n', 'k/kustomization.yaml': '' }, [
        { chart: 'deploy/api', release: 'api', namespace: 'prod', values: ['values-prod.yaml'], set: { 'image.tag': '1.2' }, line: 2 },
        { chart: 'deploy/api/', values: ['values-staging.yaml'], set: {}, line: 7 },
        { kustomize: 'k', line: 9 },
      ]),
    );
    assert.deepEqual(
      specs.map((s) => (s.kind === 'helm' ? `${s.chart} ${s.release} ${s.namespace} ${s.values.join(',')} ${s.name}` : `k ${s.root}`)),
      ['web web shop  web (web/values.yaml; release "web" from the folder name, namespace "shop")', 'deploy/api api prod values-prod.yaml api (values-prod.yaml)', 'deploy/api api shop values-staging.yaml api (values-staging.yaml)', 'k k'],
    );
  });

  it('makes Helm release names of folder names', () => {
    assert.equal(releaseNameFor('.'), 'release');
    assert.equal(releaseNameFor('charts/Web.App'), 'web-app');
  });
});

describe('.kni.yaml renders', () => {
  it('reads chart and kustomize renders', () => {
    const { config, problems } = parseConfig('.kni.yaml', 'renders:\n  - chart: deploy/api\n    release: api\n    namespace: prod\n    values: [values-prod.yaml]\n    set: {image.tag: "1.2", replicas: 3}\n  - kustomize: deploy/overlays/prod\n');
    assert.deepEqual(problems, []);
    assert.deepEqual(config.renders, [
      { chart: 'deploy/api', release: 'api', namespace: 'prod', values: ['values-prod.yaml'], set: { 'image.tag': '1.2', replicas: '3' }, line: 2 },
      { kustomize: 'deploy/overlays/prod', line: 7 },
    ]);
  });

  it('reports each bad entry at its line and keeps the good ones', () => {
    const text = [
      'renders:',
      '  - chart: a',
      '    release: Not_A_Release',
      '  - chart: b',
      '    kustomize: c',
      '  - kustomize: k',
      '    values: [x.yaml]',
      '  - chart: d',
      '    set: [a=b]',
      '  - chart: e',
      '    valuez: [v.yaml]',
      '  - just-a-string',
      '  - chart: ok',
      '',
    ].join('\n');
    const { config, problems } = parseConfig('.kni.yaml', text);
    assert.deepEqual(
      problems.map((p) => `${p.line} ${p.rule}`),
      ['3 config-invalid', '4 config-invalid', '7 config-invalid', '9 config-invalid', '11 config-invalid', '12 config-invalid'],
    );
    assert.match(problems[0].message, /release must be a Helm release name/);
    assert.match(problems[1].message, /exactly one of chart/);
    assert.match(problems[4].message, /unknown key "valuez"/);
    assert.deepEqual(config.renders?.map((r) => ('chart' in r ? r.chart : r.kustomize)), ['k', 'ok']);
  });

  it('says what renders must be when it is not a list', () => {
    const { problems } = parseConfig('.kni.yaml', 'renders: deploy/api\n');
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 1);
    assert.match(problems[0].message, /renders must be a list/);
  });
});

describe('Helm hooks', () => {
  it('are objects whose own metadata.annotations name helm.sh/hook, not those with the annotation in a pod template', () => {
    assert.match(hookNote('apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    "helm.sh/hook": test\n') ?? '', /Helm test \(helm\.sh\/hook: test\)/);
    assert.match(hookNote("kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: 'pre-install,post-upgrade'\n    helm.sh/hook-weight: '1'\n") ?? '', /Helm hook \(helm\.sh\/hook: pre-install,post-upgrade\)/);
    assert.equal(hookNote('kind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    metadata:\n      annotations:\n        helm.sh/hook: test\n'), undefined);
    assert.equal(hookNote('kind: Job\nmetadata:\n  annotations:\n    helm.sh/hook-weight: "1"\n'), undefined);
  });
});
