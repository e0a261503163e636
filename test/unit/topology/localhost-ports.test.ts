// Container to container inside one Pod, in the editor: the lens above each
// container port of a workload whose Pods run several containers (a native
// sidecar counts, a plain init container does not), the inspector target it
// asks for, and the hover that says what the localhost trace answers. On
// examples/sidecar (an API with an Envoy sidecar and an exporter) and small
// sets of its own.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Analysis } from '../../../src/core/analysis';
import type { Workload } from '../../../src/core/model/types';
import { codeLenses } from '../../../src/core/editor/code-lenses';
import { hoverAt } from '../../../src/core/editor/hover-text';
import { textMark } from '../../../src/core/editor/marks';
import { buildTopologyGraph, nodeForTarget } from '../../../src/core/topology';
import { traceRequest } from '../../../src/core/trace';
import { isTraceTarget } from '../../../src/protocol';

function load(files: Record<string, string>) {
  const analysis = new Analysis();
  for (const [f, text] of Object.entries(files)) analysis.setFile(f, text);
  const index = analysis.index();
  return { analysis, index, graph: buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'test' }) };
}

const example = () => load(Object.fromEntries(readdirSync('examples/sidecar').map((f) => [join('examples/sidecar', f), readFileSync(join('examples/sidecar', f), 'utf8')])));
const workload = (index: ReturnType<typeof example>['index'], name: string) => index.model.workloads.find((w) => w.name === name) as Workload;
const style = { link: (_: unknown, label: string) => label, mark: textMark };

describe('topology: localhost lenses and hovers on container ports', () => {
  it('one lens per port of a multi-container Pod, from the containers that do not declare it; the native sidecar counts', () => {
    const { index } = example();
    const api = workload(index, 'api');
    const lenses = codeLenses([{ objects: [api], index, at: (l) => l }]).filter((l) => l.kind === 'trace');
    assert.deepEqual(
      lenses.map((l) => l.kind === 'trace' && [l.title, l.argument]),
      [
        ['Trace localhost:15001 from api and exporter', { localhost: { from: api.id, port: 15001 } }],
        ['Trace localhost:8080 from envoy and exporter', { localhost: { from: api.id, port: 8080 } }],
        ['Trace localhost:9090 from envoy and exporter', { localhost: { from: api.id, port: 9090 } }],
        ['Trace localhost:9187 from envoy and api', { localhost: { from: api.id, port: 9187 } }],
      ],
    );
    // Each lens stands above its port in the file.
    const text = readFileSync('examples/sidecar/10-orders.yaml', 'utf8');
    assert.ok(text.slice(lenses[0].loc.start, lenses[0].loc.end).includes('containerPort: 15001'), text.slice(lenses[0].loc.start, lenses[0].loc.end));
    for (const l of lenses) if (l.kind === 'trace') assert.ok(isTraceTarget(l.argument));
    // One container: no lens (the ledger), and nothing on the Service.
    assert.deepEqual(codeLenses([{ objects: [workload(index, 'ledger')], index, at: (l) => l }]), []);
  });

  it('the target starts at the workload drawn in the inspector and traces to the container that declares the port, no policy on the way', () => {
    const { index, graph } = example();
    const api = workload(index, 'api');
    const found = nodeForTarget(graph, index, { localhost: { from: api.id, port: 15001 } });
    assert.ok(found);
    assert.equal(found.nodeId, `workload:${api.id}`);
    const r = traceRequest(index.model, index, found.options);
    assert.equal(r.verdict, 'delivered', r.reason);
    assert.equal(r.reason, 'container envoy of a Pod of orders/Deployment/api on localhost:15001/TCP.');
    assert.match(r.hops[0].detail, /no kube-proxy and no NetworkPolicy apply/);
    assert.ok(!r.hops.some((h) => h.kind === 'policy'));
    assert.equal(nodeForTarget(graph, index, { localhost: { from: 'nothing#0', port: 1 } }), undefined);
  });

  it('the hover on a port says what the trace answers and how', () => {
    const { index } = example();
    const text = readFileSync('examples/sidecar/10-orders.yaml', 'utf8');
    const h = hoverAt([{ objects: index.model.workloads, index, at: (l) => l }], text.indexOf('containerPort: 9090'), style);
    assert.ok(h);
    assert.match(h.text, /^\*\*containerPort 9090\/TCP\*\* \(`metrics`\) of container `api`/);
    assert.match(h.text, /✓ `localhost:9090` from envoy and exporter: \*\*delivered\*\*: container api of a Pod of orders\/Deployment\/api on localhost:9090\/TCP\./);
    assert.match(h.text, /inside the Pod's network namespace, which its containers share .*no kube-proxy and no NetworkPolicy apply$/);
    assert.match(text.slice(h.loc.start, h.loc.end), /^name: metrics\n\s+containerPort: 9090$/, 'the span is the port item');
    // No hover on the port of a single-container Pod.
    const ledger = readFileSync('examples/sidecar/20-ledger.yaml', 'utf8');
    assert.equal(hoverAt([{ objects: index.model.workloads, index, at: (l) => l }], text.length + ledger.indexOf('image:'), style), undefined);
  });

  it('a plain init container is no client; two containers on one port: the hover and the trace say only one can listen', () => {
    const { index } = load({
      'pod.yaml': `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  initContainers:
    - {name: migrate, image: m, ports: [{containerPort: 5000}]}
  containers:
    - name: web
      image: w
      ports: [{containerPort: 8080}]
    - name: debug
      image: d
      ports: [{containerPort: 8080}]
`,
    });
    const web = index.model.workloads[0];
    const lenses = codeLenses([{ objects: [web], index, at: (l) => l }]).map((l) => l.title);
    assert.deepEqual(lenses, ['Trace localhost:8080 from debug', 'Trace localhost:8080 from web'], 'migrate runs before them and is gone: no lens, not a client');
    const r = traceRequest(index.model, index, { from: { kind: 'pod', namespace: 'shop', name: 'web' }, to: { kind: 'localhost', port: 8080 } });
    assert.equal(r.verdict, 'delivered');
    assert.match(r.hops[1].detail, /container web port 8080\/TCP; container debug declares it too, but the Pod's containers share one network namespace, so only the first to bind listens there/);
    // The init container's port is not reached at localhost: nobody listens there once the Pod runs.
    const init = traceRequest(index.model, index, { from: { kind: 'pod', namespace: 'shop', name: 'web' }, to: { kind: 'localhost', port: 5000 } });
    assert.equal(init.verdict, 'unresolved', init.reason);
    const h = hoverAt([{ objects: [web], index, at: (l) => l }], web.containers[1].ports[0].loc!.start, style);
    assert.match(h!.text, /⚠ `web` declares this port too: the containers share one network namespace, so only the first to bind listens there/);
  });

  it('validates the target', () => {
    assert.equal(isTraceTarget({ localhost: { from: 'a#0', port: 8080 } }), true);
    assert.equal(isTraceTarget({ localhost: { from: 'a#0', port: 'http' } }), true);
    assert.equal(isTraceTarget({ localhost: { from: 'a#0' } }), false);
    assert.equal(isTraceTarget({ localhost: { from: '', port: 1 } }), false);
    assert.equal(isTraceTarget({ localhost: { from: 'a#0', port: 70000 } }), false);
  });
});
