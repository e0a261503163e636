// Container to container inside one Pod through the language server (scripted
// client): on examples/sidecar, a CodeLens above each container port of the
// API's Pod (an Envoy sidecar, the API, an exporter) carries the localhost
// target of "Trace request"; the hover on a port says what that trace
// answers; kni/trace traces the target at the workload's node.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Hover } from 'vscode-languageserver/node';
import { GRAPH_REQUEST, TRACE_REQUEST, TRACE_REQUEST_COMMAND, type GraphResult, type TraceResult } from '../../../src/protocol/lsp';
import { decodeGraph } from '../../../src/view-model';
import type { CompactGraph } from '../../../src/protocol';
import { start, type Client } from '../../fixtures/lsp/scripted-client';

const ROOT = resolve('examples/sidecar');
const ORDERS = join(ROOT, '10-orders.yaml');
const ORDERS_URI = pathToFileURL(ORDERS).href;
const LEDGER_URI = pathToFileURL(join(ROOT, '20-ledger.yaml')).href;

describe('kni lsp: localhost inside a Pod (scripted client)', function () {
  this.timeout(20_000);
  let c: Client | undefined;
  afterEach(async () => {
    await c?.close();
    c = undefined;
  });

  it('lenses above the container ports, a hover on one, and the trace of a lens target', async () => {
    c = await start(ROOT);
    await c.waitFor(LEDGER_URI, (d) => d.length > 0);
    const text = readFileSync(ORDERS, 'utf8');
    const lineOf = (needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length - 1;
    const lenses = await c.rpc.sendRequest<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: ORDERS_URI } });
    const local = lenses.filter((l) => l.command?.title.startsWith('Trace localhost:'));
    assert.deepEqual(
      local.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
      [
        [lineOf('containerPort: 15001') - 1, 'Trace localhost:15001 from api and exporter', TRACE_REQUEST_COMMAND],
        [lineOf('containerPort: 8080') - 1, 'Trace localhost:8080 from envoy and exporter', TRACE_REQUEST_COMMAND],
        [lineOf('containerPort: 9090') - 1, 'Trace localhost:9090 from envoy and exporter', TRACE_REQUEST_COMMAND],
        [lineOf('containerPort: 9187') - 1, 'Trace localhost:9187 from envoy and api', TRACE_REQUEST_COMMAND],
      ],
    );
    const target = local[0].command?.arguments?.[0] as { localhost: { from: string; port: number } };
    assert.equal(target.localhost.port, 15001);

    await c.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri: ORDERS_URI, languageId: 'yaml', version: 1, text } });
    const line = lineOf('containerPort: 15001');
    const hover = await c.rpc.sendRequest<Hover>('textDocument/hover', { textDocument: { uri: ORDERS_URI }, position: { line, character: 16 } });
    const value = (hover.contents as { value: string }).value;
    assert.match(value, /^\*\*containerPort 15001\/TCP\*\* \(`egress-proxy`\) of container `envoy`/);
    assert.match(value, /`localhost:15001` from api and exporter: \*\*delivered\*\*: container envoy of a Pod of orders\/Deployment\/api on localhost:15001\/TCP\./);

    const graph = decodeGraph((await c.rpc.sendRequest<GraphResult>(GRAPH_REQUEST, { scope: 'files' })).graph as CompactGraph);
    const r = await c.rpc.sendRequest<TraceResult>(TRACE_REQUEST, { scope: 'files', target, text: true });
    const api = graph.nodes.find((n) => n.kind === 'workload' && n.label === 'api');
    assert.equal(r.trace?.nodeId, api?.id);
    assert.equal(r.trace?.verdict !== undefined && r.trace.hops.length, 2);
    assert.match(r.text ?? '', /^trace workload\/orders\/Deployment\/api -> localhost:15001\n/);
    assert.match(r.text ?? '', /verdict: delivered: container envoy of a Pod of orders\/Deployment\/api on localhost:15001\/TCP\./);
  });
});
