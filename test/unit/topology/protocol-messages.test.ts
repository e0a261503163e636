// The guards of the messages the inspector added (trace requests, traces,
// exports): the host acts on nothing they do not let through.
import assert from 'node:assert/strict';
import { isHostToWebview, isTraceTarget, isTraceView, isWebviewToHost, MAX_EXPORT_CHARS, type TraceView } from '../../../src/protocol';

const trace = (): TraceView => ({
  nodeId: 'service:x',
  title: 'shop/cart',
  verdict: 'broken',
  reason: 'no endpoints',
  hops: [{ kind: 'dns', detail: 'cart.shop.svc', nodeIds: ['service:x'], rules: ['A record'] }],
  nodeIds: ['service:x'],
  edgeIds: [],
  deniedEdgeIds: [],
  fromEngine: true,
});

describe('inspector protocol: traces and exports', () => {
  it('accepts a trace request with a request id, a node id and pin', () => {
    assert.equal(isWebviewToHost({ type: 'traceRequest', requestId: 3, nodeId: 'service:x', pin: false }), true);
    // From one drawn object to another: egress to the world outside, Pod to Pod.
    assert.equal(isWebviewToHost({ type: 'traceRequest', requestId: 3, nodeId: 'workload:w', to: 'external:any', pin: true }), true);
  });

  it('rejects trace requests with bad ids or pin', () => {
    for (const m of [
      { type: 'traceRequest', requestId: -1, nodeId: 'a', pin: true },
      { type: 'traceRequest', requestId: 1.5, nodeId: 'a', pin: true },
      { type: 'traceRequest', requestId: 1, nodeId: '', pin: true },
      { type: 'traceRequest', requestId: 1, nodeId: 'x'.repeat(4096), pin: true },
      { type: 'traceRequest', requestId: 1, nodeId: 'a', pin: 'yes' },
      { type: 'traceRequest', requestId: 1, nodeId: 'a' },
      { type: 'traceRequest', requestId: 1, nodeId: 'a', to: '', pin: true },
      { type: 'traceRequest', requestId: 1, nodeId: 'a', to: 7, pin: true },
    ]) {
      assert.equal(isWebviewToHost(m), false, JSON.stringify(m).slice(0, 80));
    }
  });

  it('accepts SVG documents and PNG data URLs for export, and nothing else', () => {
    assert.equal(isWebviewToHost({ type: 'export', format: 'svg', data: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }), true);
    assert.equal(isWebviewToHost({ type: 'export', format: 'png', data: 'data:image/png;base64,iVBORw0KGgo=' }), true);
    assert.equal(isWebviewToHost({ type: 'export', format: 'svg', data: '<html><script>x</script>' }), false);
    assert.equal(isWebviewToHost({ type: 'export', format: 'png', data: 'data:text/html;base64,PGI+' }), false);
    assert.equal(isWebviewToHost({ type: 'export', format: 'png', data: 'data:image/png;base64,<not base64>' }), false);
    assert.equal(isWebviewToHost({ type: 'export', format: 'pdf', data: '<svg></svg>' }), false);
    assert.equal(isWebviewToHost({ type: 'export', format: 'svg', data: `<svg>${'x'.repeat(MAX_EXPORT_CHARS)}` }), false);
  });

  it('accepts a trace message with a valid trace view, pinned by the host or answering a request', () => {
    assert.equal(isHostToWebview({ type: 'trace', trace: trace(), pin: true }), true);
    assert.equal(isHostToWebview({ type: 'trace', requestId: 4, trace: trace(), pin: false }), true);
  });

  it('rejects trace views with missing or mistyped parts', () => {
    assert.equal(isTraceView(trace()), true);
    const broken: Record<string, unknown>[] = [
      { ...trace(), verdict: 'fine' },
      { ...trace(), nodeId: '' },
      { ...trace(), hops: [{ kind: 'dns', detail: 'x' }] },
      { ...trace(), hops: [{ kind: 'policy', detail: 'x', nodeIds: [], verdict: 'maybe' }] },
      { ...trace(), edgeIds: [1] },
      { ...trace(), fromEngine: 'yes' },
      { ...trace(), toNodeId: '' },
    ];
    assert.equal(isTraceView({ ...trace(), toNodeId: 'external:any' }), true);
    for (const t of broken) assert.equal(isHostToWebview({ type: 'trace', trace: t, pin: true }), false, JSON.stringify(t).slice(0, 100));
  });

  it('accepts the trace targets of the editor, egress and Pod to Pod among them, and nothing malformed', () => {
    for (const t of [
      { serviceId: 's' },
      { serviceId: 's', port: 80 },
      { url: 'https://a/', method: 'GET', headers: { x: 'y' } },
      { egress: { from: 'w' } },
      { egress: { from: 'w', cidr: '10.0.0.0/8', port: 5432, protocol: 'TCP' } },
      { podToPod: { from: 'a', to: 'b', port: 'http' } },
    ]) {
      assert.equal(isTraceTarget(t), true, JSON.stringify(t));
    }
    for (const t of [
      null,
      'w',
      { egress: 'w' },
      { egress: { from: '' } },
      { egress: { from: 'w', port: 70000 } },
      { egress: { from: 'w', protocol: 'ICMP' } },
      { podToPod: { from: 'a' } },
      { url: 'https://a/', headers: { x: 1 } },
      {},
    ]) {
      assert.equal(isTraceTarget(t), false, JSON.stringify(t));
    }
  });

  it('rejects a model whose nodes or edges lack ids', () => {
    assert.equal(isHostToWebview({ type: 'model', graph: { nodes: [{ kind: 'service', label: 'x' }], edges: [], sourceLabel: 's' } }), false);
    assert.equal(isHostToWebview({ type: 'model', graph: { nodes: [], edges: [{ id: 'e', from: 'a' }], sourceLabel: 's' } }), false);
  });
});
