// The message guards are the only thing between a (possibly compromised)
// webview and the host's handlers: every shape they let through is acted on.
import assert from 'node:assert/strict';
import { isHostToWebview, isWebviewToHost, PROTOCOL_VERSION } from '../../src/protocol';
import { encodeGraph } from '../../src/view-model';

describe('protocol guards', () => {
  describe('isWebviewToHost', () => {
    it('accepts a ready handshake', () => {
      assert.equal(isWebviewToHost({ type: 'ready', protocolVersion: PROTOCOL_VERSION }), true);
    });

    it('accepts a rendered report with counts, including an empty drawing', () => {
      assert.equal(isWebviewToHost({ type: 'rendered', nodes: 3, edges: 2 }), true);
      assert.equal(isWebviewToHost({ type: 'rendered', nodes: 0, edges: 0 }), true);
    });

    it('accepts a reveal request for an object id', () => {
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: 'default/Service/cart' }), true);
    });

    it('rejects values that are not message objects', () => {
      for (const junk of [undefined, null, 0, 1, '', 'ready', true, [], [{ type: 'ready', protocolVersion: 1 }], () => 1]) {
        assert.equal(isWebviewToHost(junk), false, `accepted ${String(junk)}`);
      }
    });

    it('rejects unknown or missing types', () => {
      assert.equal(isWebviewToHost({}), false);
      assert.equal(isWebviewToHost({ type: 'model', graph: { nodes: [], edges: [] } }), false);
      assert.equal(isWebviewToHost({ type: 'READY', protocolVersion: 1 }), false);
      assert.equal(isWebviewToHost({ type: 'eval', code: 'process.exit()' }), false);
      assert.equal(isWebviewToHost({ type: 'toString' }), false);
      assert.equal(isWebviewToHost({ type: '__proto__' }), false);
    });

    it('rejects a ready without a numeric protocol version', () => {
      assert.equal(isWebviewToHost({ type: 'ready' }), false);
      assert.equal(isWebviewToHost({ type: 'ready', protocolVersion: '1' }), false);
      assert.equal(isWebviewToHost({ type: 'ready', protocolVersion: null }), false);
    });

    it('rejects rendered counts that are not non-negative integers', () => {
      for (const [nodes, edges] of [
        [-1, 0],
        [0, -1],
        [1.5, 0],
        ['3', 2],
        [3, undefined],
        [Number.NaN, 0],
        [Number.POSITIVE_INFINITY, 0],
        [null, null],
      ]) {
        assert.equal(isWebviewToHost({ type: 'rendered', nodes, edges }), false, `accepted ${nodes}/${edges}`);
      }
    });

    it('rejects reveal ids that are empty, not strings, or oversize', () => {
      assert.equal(isWebviewToHost({ type: 'reveal' }), false);
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: '' }), false);
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: 42 }), false);
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: ['a'] }), false);
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: { toString: () => 'a' } }), false);
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: 'x'.repeat(4095) }), true);
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: 'x'.repeat(4096) }), false);
      assert.equal(isWebviewToHost({ type: 'reveal', objectId: 'x'.repeat(1_000_000) }), false);
    });
  });

  describe('isHostToWebview', () => {
    it('accepts a model with node and edge arrays', () => {
      const graph = {
        nodes: [{ id: 's', kind: 'service', label: 'cart' }],
        edges: [],
        sourceLabel: '1 file',
      };
      assert.equal(isHostToWebview({ type: 'model', graph }), true);
    });

    it('rejects models without a graph or with non-array parts', () => {
      assert.equal(isHostToWebview({ type: 'model' }), false);
      assert.equal(isHostToWebview({ type: 'model', graph: null }), false);
      assert.equal(isHostToWebview({ type: 'model', graph: [] }), false);
      assert.equal(isHostToWebview({ type: 'model', graph: { nodes: {}, edges: [] } }), false);
      assert.equal(isHostToWebview({ type: 'model', graph: { nodes: [], edges: 'none' } }), false);
    });

    it('accepts the compact form of a model, and only numbers where its rows are', () => {
      const graph = encodeGraph({ nodes: [{ id: 'service:s', kind: 'service', label: 'cart', objectId: 's' }], edges: [{ id: 'service:s->service:s', from: 'service:s', to: 'service:s' }], sourceLabel: '1 file' });
      assert.equal(isHostToWebview({ type: 'compactModel', graph, version: 3, view: { current: 'files', cluster: 'kind' } }), true);
      assert.equal(isHostToWebview({ type: 'compactModel', graph: { ...graph, nodes: [...graph.nodes, '0'] } }), false);
      assert.equal(isHostToWebview({ type: 'compactModel', graph: { ...graph, edges: [0.5] } }), false);
      assert.equal(isHostToWebview({ type: 'compactModel', graph: { ...graph, strings: [1] } }), false);
      assert.equal(isHostToWebview({ type: 'compactModel', graph: { ...graph, format: 2 } }), false);
      assert.equal(isHostToWebview({ type: 'compactModel', graph: { ...graph, badges: [['1']] } }), false);
    });

    it('rejects webview-to-host messages and junk', () => {
      assert.equal(isHostToWebview({ type: 'ready', protocolVersion: 1 }), false);
      assert.equal(isHostToWebview('model'), false);
      assert.equal(isHostToWebview(null), false);
    });
  });
});
