// The shapes met in public Kustomize trees, on small overlays of our own: a
// root that lists its base and opt-in components under licence comments
// (components patching env lists inline, deleting objects with `$patch:
// delete`, retagging images), and a stage overlay of JSON6902 patch files
// with full targets that add fields (`op: add` of a new key and into a list
// item) next to a namespace and a Namespace object.
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import type { RenderResult } from '../../../src/core/source/render/types';
import { documentOf, field, kubectl, render, where } from '../../fixtures/kustomize-render';

function objects(result: RenderResult): string[] {
  return result.documents.map((d) => {
    const doc = parseDocument(d.text);
    return `${String(doc.get('kind'))}/${String(doc.getIn(['metadata', 'name']))}`;
  });
}

describe('Kustomize render: a root with opt-in components (inline patches, $patch: delete, images)', function () {
  this.timeout(60_000);
  let result: RenderResult;

  before(async function () {
    result = await render(kubectl(this), 'boutique');
  });

  it('renders what the components leave: the deleted redis objects are gone', () => {
    assert.deepEqual(result.problems, []);
    assert.deepEqual(objects(result), ['ServiceAccount/cartservice', 'Service/cartservice', 'Deployment/cartservice', 'NetworkPolicy/cartservice']);
  });

  it('an env entry a component patches points at the inline patch; the others stay at the base', () => {
    const env = ['spec', 'template', 'spec', 'containers', 0, 'env'];
    const rendered = parseDocument(documentOf(result, 'Deployment', 'cartservice').text).getIn(env) as { toJSON(): { name: string }[] };
    // Strategic merge puts the patched entry first: entries are found by name, not position.
    assert.deepEqual(rendered.toJSON().map((e) => e.name), ['REDIS_ADDR', 'PORT']);
    const redis = field(result, 'Deployment', 'cartservice', [...env, 0, 'value']);
    assert.equal(where(result, redis), 'boutique/components/memorystore/kustomization.yaml:17: value: "10.0.0.3:6379"');
    assert.equal(redis.editable, true);
    assert.equal(where(result, field(result, 'Deployment', 'cartservice', [...env, 1, 'value'])), 'boutique/base/cartservice.yaml:24: value: "7070"');
  });

  it('the image a component retags points at its newTag', () => {
    const image = field(result, 'Deployment', 'cartservice', ['spec', 'template', 'spec', 'containers', 0, 'image']);
    assert.equal(where(result, image), 'boutique/components/images-tag/kustomization.yaml:5: newTag: v0.11.0');
    assert.equal(image.editable, false);
  });

  it('names without a prefix point at the base name, editable', () => {
    const name = field(result, 'Service', 'cartservice', ['metadata', 'name']);
    assert.equal(where(result, name), 'boutique/base/cartservice.yaml:34: name: cartservice');
    assert.deepEqual([name.exact, name.editable, name.related], [true, true, undefined]);
  });

  it("a component's NetworkPolicy points at the component's file", () => {
    assert.equal(
      where(result, field(result, 'NetworkPolicy', 'cartservice', ['spec', 'ingress', 0, 'from', 0, 'podSelector', 'matchLabels', 'app'])),
      'boutique/components/network-policies/network-policy-cartservice.yaml:15: app: frontend',
    );
    assert.equal(where(result, field(result, 'NetworkPolicy', 'cartservice', ['spec', 'ingress', 0, 'ports', 0, 'port'])), 'boutique/components/network-policies/network-policy-cartservice.yaml:17: - port: 7070');
  });

  it('consumes the components and the base, including the objects deleted from the output', () => {
    assert.ok(result.consumedFiles.includes('boutique/base/redis.yaml'));
    assert.ok(result.consumedFiles.includes('boutique/components/memorystore/kustomization.yaml'));
    assert.ok(result.consumedFiles.includes('boutique/components/images-tag/kustomization.yaml'));
  });
});

describe('Kustomize render: a stage overlay of JSON6902 patch files that add fields', function () {
  this.timeout(60_000);
  let result: RenderResult;

  before(async function () {
    result = await render(kubectl(this), 'greet/stages/prod');
  });

  it('renders the Namespace, the Service and the Deployment', () => {
    assert.deepEqual(result.problems, []);
    assert.deepEqual(objects(result), ['Namespace/prod', 'Service/greet-me', 'Deployment/greet-me']);
  });

  it('`op: add` of a new key and into a list item: each at its value line', () => {
    assert.equal(where(result, field(result, 'Service', 'greet-me', ['spec', 'type'])), 'greet/stages/prod/patch-service.yaml:3: value: NodePort');
    assert.equal(where(result, field(result, 'Service', 'greet-me', ['spec', 'ports', 0, 'nodePort'])), 'greet/stages/prod/patch-service.yaml:7: value: 30001');
    assert.equal(where(result, field(result, 'Service', 'greet-me', ['spec', 'ports', 0, 'port'])), 'greet/base/service.yaml:10: port: 80');
  });

  it('`op: replace` of the first container image; the second container is untouched', () => {
    const containers = ['spec', 'template', 'spec', 'containers'];
    assert.equal(where(result, field(result, 'Deployment', 'greet-me', [...containers, 0, 'image'])), 'greet/stages/prod/patch-image.yaml:3: value: ghcr.io/example/greet-me:2ee8c38');
    assert.equal(where(result, field(result, 'Deployment', 'greet-me', [...containers, 1, 'image'])), 'greet/base/deployment.yaml:22: image: nginx:1.24.0-alpine');
  });

  it('the namespace points at the overlay; the Namespace object at its own file', () => {
    assert.equal(where(result, field(result, 'Deployment', 'greet-me', ['metadata', 'namespace'])), 'greet/stages/prod/kustomization.yaml:9: namespace: prod');
    assert.equal(where(result, field(result, 'Namespace', 'prod', ['metadata', 'name'])), 'greet/stages/prod/namespace.yml:4: name: prod');
  });
});

describe('Kustomize render: a JSON6902 op on a list position that a later op shifts (argo-cd redis-ha shape)', function () {
  this.timeout(60_000);

  it('each item keeps the op that set it: the inserted item at its insertion, the shifted one at the op written for position 0', async function () {
    const result = await render(kubectl(this), 'shifted');
    assert.deepEqual(result.problems, []);
    const init = ['spec', 'template', 'spec', 'initContainers'];
    const names = (parseDocument(documentOf(result, 'Deployment', 'haproxy').text).getIn(init) as { toJSON(): { name: string }[] }).toJSON().map((c) => c.name);
    assert.deepEqual(names, ['secret-init', 'config-init']);
    assert.equal(where(result, field(result, 'Deployment', 'haproxy', [...init, 0, 'securityContext', 'readOnlyRootFilesystem'])), 'shifted/overlays/secret-init.yaml:7: readOnlyRootFilesystem: true');
    const shifted = field(result, 'Deployment', 'haproxy', [...init, 1, 'securityContext', 'readOnlyRootFilesystem']);
    assert.equal(where(result, shifted), 'shifted/overlays/init-security-context.yaml:4: readOnlyRootFilesystem: true');
    assert.equal(shifted.exact, true);
    assert.equal(where(result, field(result, 'Deployment', 'haproxy', [...init, 1, 'image'])), 'shifted/haproxy.yaml:16: image: haproxy:3.0');
  });
});

describe('Kustomize render: a resource file that is a kind: List', function () {
  this.timeout(60_000);

  it("each item is an object of its own, mapped to its lines in the list", async function () {
    const result = await render(kubectl(this), 'list');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(objects(result), ['Service/prod-api', 'Service/prod-web']);
    assert.equal(where(result, field(result, 'Service', 'prod-web', ['spec', 'ports', 0, 'port'])), 'list/services.yaml:21: - port: 8080');
    assert.equal(where(result, field(result, 'Service', 'prod-api', ['metadata', 'name'])), 'list/services.yaml:7: name: api');
  });
});
