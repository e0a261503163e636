// Kustomize renders with the real kubectl (Kustomize v5): every rendered
// field leads back to the line that set it (a patch, the kustomization, the
// base resource), what must not run is refused before running, Kustomize's
// errors land at a file and line, and the temporary wrapper folder is gone.
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { renderKustomize, type KustomizeTool } from '../../../src/core/source/render/kustomize';
import type { RenderResult } from '../../../src/core/source/render/types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { kustomizeErrors } from '../../../src/core/source/render/kustomize/errors';
import { SourceFiles } from '../../../src/core/source/render/kustomize/sources';
import { readTree } from '../../../src/core/source/render/kustomize/tree';
import { documentOf, field, FIXTURES, kubectl, render, where, wrappers } from '../../fixtures/kustomize-render';

describe('Kustomize render: base + overlay with patches, labels, prefix, components and a generator', function () {
  this.timeout(60_000);
  let result: RenderResult;
  let wrappersBefore: string[];

  before(async function () {
    const tool = kubectl(this);
    wrappersBefore = wrappers();
    result = await render(tool, 'shop/overlays/prod');
  });

  it('renders without problems (names alone identify every object: no wrapper folder)', () => {
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.documents.map((d) => {
        const doc = parseDocument(d.text);
        return `${String(doc.get('kind'))}/${String(doc.getIn(['metadata', 'name']))}`;
      }),
      ['ConfigMap/prod-web-config-hf678c7m2b', 'Secret/prod-db-btgkgf75tb', 'Service/prod-api', 'Service/prod-web', 'Deployment/prod-api', 'Deployment/prod-web', 'NetworkPolicy/prod-deny-all'],
    );
    assert.deepEqual(wrappers(), wrappersBefore);
  });

  it('returns plain objects, no bookkeeping annotation', () => {
    for (const d of result.documents) {
      assert.doesNotMatch(d.text, /config\.kubernetes\.io|annotations:/, d.virtualFile);
      assert.equal(parseDocument(d.text).errors.length, 0);
    }
  });

  it('an overlay patch file that changes a selector: the value and the selector point at the patch line', () => {
    assert.equal(where(result, field(result, 'Service', 'prod-web', ['spec', 'selector', 'app'])), 'shop/overlays/prod/web-service.yaml:7: app: web-frontend');
    assert.equal(where(result, field(result, 'Service', 'prod-web', ['spec', 'selector'])), 'shop/overlays/prod/web-service.yaml:7: app: web-frontend');
    assert.equal(field(result, 'Service', 'prod-web', ['spec', 'selector', 'app']).editable, true);
  });

  it('a JSON6902 patch file: the field its op replaces points at the op value', () => {
    const m = field(result, 'Deployment', 'prod-api', ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort']);
    assert.equal(where(result, m), 'shop/overlays/prod/api-port.yaml:3: value: 9001');
    assert.equal(m.exact, true);
    assert.equal(m.editable, true);
  });

  it('an inline JSON6902 patch (patch: |-) points at its line in kustomization.yaml', () => {
    assert.equal(where(result, field(result, 'Service', 'prod-api', ['spec', 'ports', 0, 'targetPort'])), 'shop/overlays/prod/kustomization.yaml:29: value: 9100');
  });

  it('an inline strategic-merge patch: what it sets points at it, what it merged with stays at the base', () => {
    const ports = ['spec', 'template', 'spec', 'containers', 0, 'ports'];
    // Strategic merge matches ports by number: the patch's 8081 is a second port beside the base's 8080.
    assert.equal(where(result, field(result, 'Deployment', 'prod-web', [...ports, 0, 'containerPort'])), 'shop/overlays/prod/kustomization.yaml:42: containerPort: 8081');
    assert.equal(where(result, field(result, 'Deployment', 'prod-web', [...ports, 1, 'containerPort'])), 'shop/base/web.yaml:20: containerPort: 8080');
  });

  it('fields no one changed point at the base file, editable', () => {
    const m = field(result, 'Service', 'prod-api', ['spec', 'ports', 0, 'port']);
    assert.equal(where(result, m), 'shop/base/api.yaml:28: - port: 80');
    assert.deepEqual([m.exact, m.editable], [true, true]);
    assert.equal(where(result, field(result, 'Deployment', 'prod-api', ['spec', 'template', 'spec', 'containers', 0, 'image'])), 'shop/base/api.yaml:16: image: shop/api:1.0');
  });

  it('namePrefix: the name points at the base name, with the prefix line related; not editable', () => {
    const m = field(result, 'Service', 'prod-web', ['metadata', 'name']);
    assert.equal(where(result, m), 'shop/base/web.yaml:25: name: web');
    assert.equal(m.editable, false);
    assert.deepEqual(
      m.related?.map((r) => `${where(result, r)} | ${r.message}`),
      ['shop/overlays/prod/kustomization.yaml:3: namePrefix: prod- | namePrefix prod- (shop/overlays/prod/kustomization.yaml) makes the name prod-web'],
    );
  });

  it('commonLabels: labels, selectors and pod template labels it adds point at its line, not editable', () => {
    for (const path of [
      ['metadata', 'labels', 'env'],
      ['spec', 'selector', 'matchLabels', 'env'],
      ['spec', 'template', 'metadata', 'labels', 'env'],
    ]) {
      const m = field(result, 'Deployment', 'prod-api', path);
      assert.equal(where(result, m), 'shop/overlays/prod/kustomization.yaml:6: env: prod', path.join('.'));
      // The line sets the label on every object and in selectors and templates alike: no quick fix edits it for one field.
      assert.equal(m.editable, false);
    }
    assert.equal(where(result, field(result, 'Service', 'prod-api', ['spec', 'selector', 'env'])), 'shop/overlays/prod/kustomization.yaml:6: env: prod');
  });

  it('a selector that commonLabels added to stays at the base selector, the label line related', () => {
    const m = field(result, 'Service', 'prod-api', ['spec', 'selector']);
    assert.equal(where(result, m), 'shop/base/api.yaml:26: app: api');
    assert.deepEqual(m.related?.map((r) => where(result, r)), ['shop/overlays/prod/kustomization.yaml:6: env: prod']);
  });

  it('labels without includeSelectors: the metadata label points at the base kustomization, selectors are untouched', () => {
    assert.equal(where(result, field(result, 'Deployment', 'prod-web', ['metadata', 'labels', 'app.kubernetes.io/part-of'])), 'shop/base/kustomization.yaml:8: app.kubernetes.io/part-of: shop');
    const selector = parseDocument(documentOf(result, 'Deployment', 'prod-web').text).getIn(['spec', 'selector', 'matchLabels']) as { has(k: string): boolean };
    assert.equal(selector.has('app.kubernetes.io/part-of'), false);
  });

  it('namespace, images and replicas point at the kustomization lines that set them', () => {
    assert.equal(where(result, field(result, 'Deployment', 'prod-web', ['metadata', 'namespace'])), 'shop/overlays/prod/kustomization.yaml:4: namespace: shop-prod');
    const image = field(result, 'Deployment', 'prod-web', ['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.equal(where(result, image), 'shop/overlays/prod/kustomization.yaml:13: newTag: "2.1"');
    assert.equal(image.editable, false, 'the rendered image is not the text of newTag');
    assert.equal(where(result, field(result, 'Deployment', 'prod-web', ['spec', 'replicas'])), 'shop/overlays/prod/kustomization.yaml:16: count: 3');
  });

  it('a key points at the key in its source', () => {
    assert.equal(where(result, field(result, 'Service', 'prod-web', ['spec', 'selector', 'app'], true)), 'shop/overlays/prod/web-service.yaml:7: app: web-frontend');
    assert.equal(where(result, field(result, 'Service', 'prod-api', ['spec', 'ports'], true)), 'shop/base/api.yaml:27: ports:');
  });

  it('a component: its objects point at the component files', () => {
    const d = documentOf(result, 'NetworkPolicy', 'prod-deny-all');
    assert.equal(d.sourceFile, 'shop/components/deny-all/policy.yaml');
    assert.equal(where(result, field(result, 'NetworkPolicy', 'prod-deny-all', ['spec', 'policyTypes', 0])), 'shop/components/deny-all/policy.yaml:7: policyTypes: [Ingress]');
  });

  it('a generated ConfigMap is not steady state, and its keys point at the generator', () => {
    const d = documentOf(result, 'ConfigMap', 'prod-web-config-hf678c7m2b');
    assert.equal(d.notSteadyState, 'generated by configMapGenerator in shop/overlays/prod/kustomization.yaml');
    assert.equal(where(result, field(result, 'ConfigMap', 'prod-web-config-hf678c7m2b', ['data', 'LOG_LEVEL'])), 'shop/overlays/prod/kustomization.yaml:46: - LOG_LEVEL=info');
    const name = field(result, 'ConfigMap', 'prod-web-config-hf678c7m2b', ['metadata', 'name']);
    assert.equal(where(result, name), 'shop/overlays/prod/kustomization.yaml:44: - name: web-config');
    assert.equal(name.exact, false);
    for (const other of result.documents.filter((x) => x !== d && !x.virtualFile.includes('Secret'))) assert.equal(other.notSteadyState, undefined);
  });

  it('a generated Secret: not steady state, its keys at their env file lines', () => {
    const d = documentOf(result, 'Secret', 'prod-db-btgkgf75tb');
    assert.equal(d.notSteadyState, 'generated by secretGenerator in shop/overlays/prod/kustomization.yaml');
    assert.equal(where(result, field(result, 'Secret', 'prod-db-btgkgf75tb', ['data', 'DB_PASSWORD'])), 'shop/overlays/prod/db.env:3: DB_PASSWORD=change-me');
    assert.equal(where(result, field(result, 'Secret', 'prod-db-btgkgf75tb', ['metadata', 'namespace'])), 'shop/overlays/prod/kustomization.yaml:4: namespace: shop-prod');
  });

  it('consumes every file the render read, with its text', () => {
    const expected = [
      'shop/base/api.yaml',
      'shop/base/kustomization.yaml',
      'shop/base/web.yaml',
      'shop/components/deny-all/kustomization.yaml',
      'shop/components/deny-all/policy.yaml',
      'shop/overlays/prod/api-port.yaml',
      'shop/overlays/prod/db.env',
      'shop/overlays/prod/kustomization.yaml',
      'shop/overlays/prod/web-service.yaml',
    ];
    assert.deepEqual([...result.consumedFiles].sort(), expected);
    assert.deepEqual([...result.sourceTexts.keys()].sort(), expected);
  });
});

describe('Kustomize render: refused before running', function () {
  this.timeout(60_000);
  // A command that cannot start: a refusal never gets as far as running it.
  const never: KustomizeTool = { command: resolve(FIXTURES, 'no-such-kustomize'), kind: 'kustomize' };

  it('remote bases and files, helmCharts and exec plugins, each at its line', async () => {
    const result = await render(never, 'refused/overlay');
    assert.deepEqual(
      result.problems.map((p) => `${p.rule} ${where(result, p)}`).sort(),
      [
        'render-failed refused/overlay/kustomization.yaml:10: - set-owner.yaml',
        'render-failed refused/overlay/kustomization.yaml:12: - path: https://raw.githubusercontent.com/example/deploy/main/patch.yaml',
        'render-failed refused/overlay/kustomization.yaml:16: - app.conf=https://example.com/app.conf',
        'render-failed refused/overlay/kustomization.yaml:3: - https://github.com/example/deploy//base?ref=v1.2.0',
        'render-failed refused/overlay/kustomization.yaml:4: - github.com/example/deploy/overlays/prod?ref=main',
        'render-failed refused/overlay/kustomization.yaml:5: helmCharts:',
      ],
    );
    assert.ok(result.problems.every((p) => p.severity === 'error' && p.message.startsWith('Kustomize render refused/overlay: ')));
    assert.match(result.problems.find((p) => p.message.includes('helmCharts'))!.message, /--enable-helm/);
    assert.match(result.problems.find((p) => p.message.includes('set-owner'))!.message, /exec plugin/);
    assert.match(result.problems.find((p) => p.message.includes('app.conf'))!.message, /is a remote file, which Kustomize would download/);
    assert.deepEqual(result.documents, []);
  });

  it('an inline KRM-function generator', async () => {
    const result = await render(never, 'krm-function');
    assert.deepEqual(result.problems.map((p) => where(result, p)), ['krm-function/kustomization.yaml:4: - |-']);
    assert.match(result.problems[0].message, /KRM-function plugin/);
  });
});

describe("Kustomize render: Kustomize's own errors at a file and line", function () {
  this.timeout(60_000);

  it('a YAML error in a base resource: at the line Kustomize names, and no wrapper folder left', async function () {
    const tool = kubectl(this);
    const before = wrappers();
    const result = await render(tool, 'broken-resource/overlay');
    assert.equal(result.problems.length, 1);
    const p = result.problems[0];
    assert.equal(p.rule, 'render-failed');
    assert.equal(where(result, p), 'broken-resource/base/service.yaml:8: ports:');
    assert.match(p.message, /^Kustomize render broken-resource\/overlay failed: accumulating resources from .service\.yaml.: MalformedYAMLError: yaml: line 8: .*in File: service\.yaml$/);
    assert.doesNotMatch(p.message, /kni-kustomize-|\.\.\/\.\.\//, 'the wrapper folder is not in the message');
    assert.deepEqual(wrappers(), before);
  });

  it('an unknown field of a kustomization: at its key', async function () {
    const result = await render(kubectl(this), 'unknown-field');
    assert.deepEqual(result.problems.map((p) => where(result, p)), ['unknown-field/kustomization.yaml:3: namePrefx: dev-']);
    assert.match(result.problems[0].message, /unknown field "namePrefx"/);
  });

  it('a patch whose object is not in the render: at the patch entry', async function () {
    const result = await render(kubectl(this), 'unmatched-patch');
    assert.deepEqual(result.problems.map((p) => where(result, p)), ['unmatched-patch/kustomization.yaml:4: - path: checkout-replicas.yaml']);
    assert.match(result.problems[0].message, /^Kustomize render unmatched-patch failed: no resource matches strategic merge patch "Deployment\.v1\.apps\/checkout/);
  });

  it("kubectl 1.32's logged error: the quoted error is the message, located the same way", () => {
    // What kubectl 1.32 prints for this tree (kubectl 1.33 prints "error: …").
    const stderr =
      'E1207 17:37:50.353232    8048 run.go:72] "command failed" err="no resource matches strategic merge patch \\"Deployment.v1.apps/checkout.[noNs]\\": no matches for Id Deployment.v1.apps/checkout.[noNs]; failed to find unique target for patch Deployment.v1.apps/checkout.[noNs]"\n';
    const rootAbs = resolve(FIXTURES, 'unmatched-patch');
    const files = new SourceFiles(FIXTURES);
    const tree = readTree(rootAbs, files, 'unmatched-patch');
    const problems = kustomizeErrors(stderr, tmpdir(), rootAbs, tree, files, 'unmatched-patch');
    assert.deepEqual(problems.map((p) => where({ sourceTexts: files.texts }, p)), ['unmatched-patch/kustomization.yaml:4: - path: checkout-replicas.yaml']);
    assert.equal(
      problems[0].message,
      'Kustomize render unmatched-patch failed: no resource matches strategic merge patch "Deployment.v1.apps/checkout.[noNs]": no matches for Id Deployment.v1.apps/checkout.[noNs]; failed to find unique target for patch Deployment.v1.apps/checkout.[noNs]',
    );
  });

  it('a Component named as a root: said (info) at its kind, not run, its files consumed', async () => {
    const result = await render({ command: resolve(FIXTURES, 'no-such-kustomize'), kind: 'kustomize' }, 'shop/components/deny-all');
    assert.deepEqual(result.problems.map((p) => `${p.severity} ${where(result, p)}`), ['info shop/components/deny-all/kustomization.yaml:2: kind: Component']);
    assert.match(result.problems[0].message, /is a Component; Kustomize builds it only inside a kustomization that lists it under components:/);
    assert.deepEqual([...result.consumedFiles].sort(), ['shop/components/deny-all/kustomization.yaml', 'shop/components/deny-all/policy.yaml']);
  });

  it('a missing patch file: at the entry naming it, found before running', async () => {
    const result = await render({ command: resolve(FIXTURES, 'no-such-kustomize'), kind: 'kustomize' }, 'missing-patch');
    assert.deepEqual(result.problems.map((p) => where(result, p)), ['missing-patch/kustomization.yaml:4: - path: replicas.yaml']);
    assert.match(result.problems[0].message, /patch file "replicas\.yaml" does not exist/);
  });

  it('a folder without a kustomization listed as a resource: at its entry, found before running', async () => {
    const result = await render({ command: resolve(FIXTURES, 'no-such-kustomize'), kind: 'kustomize' }, 'no-kustomization');
    assert.deepEqual(result.problems.map((p) => where(result, p)), ['no-kustomization/kustomization.yaml:2: - plain']);
    assert.match(result.problems[0].message, /no-kustomization\/plain has no kustomization\.yaml, kustomization\.yml or Kustomization file/);
  });

  it('a cancelled render: said at the root kustomization, nothing rendered', async function () {
    const abort = new AbortController();
    abort.abort();
    const result = await renderKustomize({ kind: 'kustomize', root: 'shop/overlays/prod', name: 'prod' }, kubectl(this), { cwd: FIXTURES, env: { PATH: '' }, signal: abort.signal });
    assert.deepEqual(result.documents, []);
    assert.deepEqual(result.problems.map((p) => `${p.loc.file} ${p.message}`), ['shop/overlays/prod/kustomization.yaml Kustomize render prod failed: the kubectl kustomize run was cancelled.']);
  });

  it('a kustomize binary is run as `kustomize build DIR`', async function () {
    // kustomize is kubectl's Kustomize behind the standalone command line: a script that accepts only `build DIR`.
    const path = kubectl(this).command;
    const dir = mkdtempSync(join(tmpdir(), 'kni-kustomize-cli-'));
    try {
      const script = join(dir, 'kustomize');
      writeFileSync(script, `#!/bin/sh\n[ "$1" = build ] && [ $# -eq 2 ] || { echo "usage: kustomize build DIR" >&2; exit 2; }\nexec "${path}" kustomize "$2"\n`, { mode: 0o755 });
      const result = await render({ command: script, kind: 'kustomize' }, 'greet/stages/prod');
      assert.deepEqual(result.problems, []);
      assert.equal(result.documents.length, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a tool that cannot start: said at the root kustomization', async () => {
    const result = await render({ command: resolve(FIXTURES, 'no-such-kustomize'), kind: 'kustomize' }, 'shop/overlays/prod');
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].loc.file, 'shop/overlays/prod/kustomization.yaml');
    assert.match(result.problems[0].message, /kustomize build was not found/);
  });
});

describe('Kustomize render: nameSuffix, labels with includeSelectors, commonAnnotations, patchesStrategicMerge, a labelSelector target', function () {
  this.timeout(60_000);
  let result: RenderResult;

  before(async function () {
    result = await render(kubectl(this), 'more-fields');
  });

  it('nameSuffix: the name points at the base name, the suffix line related', () => {
    const m = field(result, 'Deployment', 'api-v2', ['metadata', 'name']);
    assert.equal(where(result, m), 'shop/base/api.yaml:4: name: api');
    assert.deepEqual(m.related?.map((r) => where(result, r)), ['more-fields/kustomization.yaml:3: nameSuffix: -v2']);
  });

  it('labels with includeSelectors: the label in selectors and templates points at the pair', () => {
    for (const [kind, path] of [
      ['Deployment', ['spec', 'selector', 'matchLabels', 'tier']],
      ['Deployment', ['spec', 'template', 'metadata', 'labels', 'tier']],
      ['Service', ['spec', 'selector', 'tier']],
    ] as const) {
      assert.equal(where(result, field(result, kind, 'api-v2', [...path])), 'more-fields/kustomization.yaml:6: tier: backend', path.join('.'));
    }
  });

  it('commonAnnotations: the annotation of the object and of its pod template', () => {
    assert.equal(where(result, field(result, 'Deployment', 'web-v2', ['metadata', 'annotations', 'team'])), 'more-fields/kustomization.yaml:9: team: payments');
    assert.equal(where(result, field(result, 'Deployment', 'web-v2', ['spec', 'template', 'metadata', 'annotations', 'team'])), 'more-fields/kustomization.yaml:9: team: payments');
  });

  it('patchesStrategicMerge: a field the patch file adds to a container found by name', () => {
    assert.equal(where(result, field(result, 'Deployment', 'api-v2', ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'cpu'])), 'more-fields/api-resources.yaml:12: cpu: 500m');
  });

  it('a strategic-merge patch with a labelSelector target applies to every object it selects, whatever name it carries', () => {
    for (const name of ['api-v2', 'web-v2']) assert.equal(where(result, field(result, 'Deployment', name, ['spec', 'revisionHistoryLimit'])), 'more-fields/kustomization.yaml:22: revisionHistoryLimit: 3');
  });
});

describe("Kustomize render: an object names cannot identify (renamed by a patch) is found through Kustomize's origin annotation", function () {
  this.timeout(60_000);

  it('maps it to its base file and the patch, strips the annotations, keeps the user’s, and removes the wrapper', async function () {
    const tool = kubectl(this);
    const before = wrappers();
    const result = await render(tool, 'renamed');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(wrappers(), before);
    const d = documentOf(result, 'Service', 'api-internal');
    assert.equal(d.sourceFile, 'shop/base/api.yaml');
    assert.doesNotMatch(d.text, /config\.kubernetes\.io/);
    assert.equal(parseDocument(d.text).getIn(['metadata', 'annotations', 'owner']), 'shop-team');
    assert.equal(where(result, field(result, 'Service', 'api-internal', ['metadata', 'name'])), 'renamed/kustomization.yaml:14: value: api-internal');
    assert.equal(where(result, field(result, 'Service', 'api-internal', ['spec', 'ports', 0, 'targetPort'])), 'shop/base/api.yaml:29: targetPort: 9000');
    assert.equal(where(result, field(result, 'Service', 'api-internal', ['metadata', 'annotations', 'owner'])), 'renamed/kustomization.yaml:4: owner: shop-team');
  });
});

describe('Kustomize render: replacements', function () {
  this.timeout(60_000);

  it('a field a replacement writes points at its fieldPaths entry (inline or in a file), never editable', async function () {
    const result = await render(kubectl(this), 'replaced');
    assert.deepEqual(result.problems, []);
    const image = field(result, 'Deployment', 'api', ['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.equal(where(result, image), 'replaced/kustomization.yaml:14: - spec.template.spec.containers.[name=api].image');
    assert.equal(image.editable, false);
    assert.deepEqual(
      image.related?.map((r) => `${where(result, r)} | ${r.message}`),
      ['replaced/release.yaml:6: tag: "1.7" | the value comes from data.tag of ConfigMap release'],
    );
    assert.equal(where(result, field(result, 'Deployment', 'web', ['spec', 'template', 'spec', 'containers', 0, 'image'])), 'shop/base/web.yaml:17: image: shop/web:1.0');
    const selector = field(result, 'Service', 'web', ['spec', 'selector', 'app']);
    assert.equal(where(result, selector), 'replaced/canary-selector.yaml:10: - spec.selector.app');
    assert.deepEqual(selector.related?.map((r) => where(result, r)), ['replaced/release.yaml:7: track: web-canary']);
    // The selector a replacement changed inside, as a patch would.
    assert.equal(where(result, field(result, 'Service', 'web', ['spec', 'selector'])), 'replaced/canary-selector.yaml:10: - spec.selector.app');
    assert.ok(result.consumedFiles.includes('replaced/canary-selector.yaml'));
  });

  it('a replacement whose field is missing in a target: at the field path Kustomize quotes', async function () {
    const result = await render(kubectl(this), 'replacement-error');
    assert.deepEqual(result.problems.map((p) => where(result, p)), ['replacement-error/kustomization.yaml:13: - spec.template.spec.containers.[name=api].image']);
    assert.match(result.problems[0].message, /unable to find field "spec\.template\.spec\.containers\.\[name=api\]\.image" in replacement target/);
  });

  it('a resource file outside the root: at its entry, with what to do', async function () {
    const result = await render(kubectl(this), 'outside-root');
    assert.deepEqual(result.problems.map((p) => where(result, p)), ['outside-root/kustomization.yaml:3: - ../replaced/release.yaml']);
    assert.equal(
      result.problems[0].message,
      "Kustomize render outside-root failed: accumulating resources from '../replaced/release.yaml': security; file 'replaced/release.yaml' is not in or below 'outside-root'. Kustomize reads files only below the kustomization that lists them: move the file there, or list its folder (with a kustomization of its own) as a base.",
    );
  });
});
