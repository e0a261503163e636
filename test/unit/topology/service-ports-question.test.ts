// Hovering a Service of several ports traces it on its first port (a hover
// cannot ask which): the question says so, naming the ports there are, so
// that the choice is never silent.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { buildTopologyGraph, traceQuestionsForNode } from '../../../src/core/topology';

const SET = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: billing}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: x, ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: billing}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}, {name: metrics, port: 9090, targetPort: metrics}]
---
apiVersion: v1
kind: Service
metadata: {name: one, namespace: billing}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
`;

describe('topology: a Service of several ports, hovered', () => {
  it('names the port traced and the others', () => {
    const analysis = new Analysis();
    analysis.setFile('set.yaml', SET);
    const index = analysis.index();
    const graph = buildTopologyGraph(index, { findings: analysis.findings(), sourceLabel: 'test' });
    const service = (name: string) => graph.nodes.find((n) => n.kind === 'service' && n.label === name)!;
    const [q] = traceQuestionsForNode(service('api'), graph, index);
    assert.deepEqual(q.options.to, { kind: 'service', namespace: 'billing', name: 'api', port: 80 });
    assert.equal(q.from, 'a Pod in namespace billing, on port 80 (http), the first of 2 (80 (http), 9090 (metrics))');
    const [single] = traceQuestionsForNode(service('one'), graph, index);
    assert.equal(single.from, 'a Pod in namespace billing');
  });
});
