// The fields DNS names come from, read by both sources: an endpoint's
// hostname (EndpointSlice, Endpoints) and a Pod's hostname/subdomain.
import assert from 'node:assert/strict';
import { toEndpoints, toEndpointSlice, toPod } from '../../../src/core/source/cluster/convert';
import { buildModel, parseManifestFile } from '../../../src/core/source/manifests';

const MANIFESTS = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: pg-abc
  namespace: db
  labels: {kubernetes.io/service-name: pg}
addressType: IPv4
endpoints:
- addresses: ["10.244.1.5"]
  hostname: pg-0
- addresses: ["10.244.1.6"]
---
apiVersion: v1
kind: Endpoints
metadata: {name: legacy, namespace: db}
subsets:
- addresses:
  - ip: 10.244.2.5
    hostname: legacy-0
  notReadyAddresses:
  - ip: 10.244.2.6
    hostname: legacy-1
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: busybox1, namespace: db, labels: {name: busybox}}
spec:
  hostname: busybox-1
  subdomain: busybox-subdomain
  dnsPolicy: ClusterFirst
  dnsConfig:
    searches: [corp.example]
    options:
    - name: ndots
      value: "2"
    - name: edns0
  containers: [{name: busybox, image: busybox}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: plain, namespace: db}
spec:
  selector: {matchLabels: {app: plain}}
  template:
    metadata: {labels: {app: plain}}
    spec:
      containers: [{name: c, image: c}]
`;

describe('source: the fields DNS names come from', () => {
  it('manifests: EndpointSlice and Endpoints hostnames, a Pod template hostname and subdomain', () => {
    const m = buildModel([parseManifestFile('dns.yaml', MANIFESTS, { defaultNamespace: 'default' })], 'default');
    const slice = m.endpointSlices.find((s) => s.kind === 'EndpointSlice')!;
    assert.deepEqual(slice.endpoints.map((e) => e.hostname), ['pg-0', undefined]);
    const legacy = m.endpointSlices.find((s) => s.kind === 'Endpoints')!;
    assert.deepEqual(legacy.endpoints.map((e) => [e.addresses[0], e.hostname, e.ready]), [
      ['10.244.2.5', 'legacy-0', true],
      ['10.244.2.6', 'legacy-1', false],
    ]);
    const bb = m.workloads.find((w) => w.name === 'busybox1')!;
    assert.equal(bb.hostname, 'busybox-1');
    assert.equal(bb.subdomain, 'busybox-subdomain');
    assert.deepEqual(bb.dns, { policy: 'ClusterFirst', searches: ['corp.example'], ndots: 2 });
    const plain = m.workloads.find((w) => w.name === 'plain')!;
    assert.ok(!('hostname' in plain) && !('subdomain' in plain) && !('dns' in plain));
  });
  it('a live cluster: the same fields from the API objects', () => {
    const slice = toEndpointSlice({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'pg-abc', namespace: 'db', uid: 'u1', labels: { 'kubernetes.io/service-name': 'pg' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], hostname: 'pg-0' }],
    })!;
    assert.equal(slice.endpoints[0].hostname, 'pg-0');
    const eps = toEndpoints({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'legacy', namespace: 'db', uid: 'u2' },
      subsets: [{ addresses: [{ ip: '10.244.2.5', hostname: 'legacy-0' }], ports: [{ port: 80 }] }],
    });
    assert.equal(eps[0].endpoints[0].hostname, 'legacy-0');
    const pod = toPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'pg-0', namespace: 'db', uid: 'u3' },
      spec: { hostname: 'pg-0', subdomain: 'pg', dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['a.example'], options: [{ name: 'ndots', value: '1' }] }, containers: [] },
      status: { podIP: '10.244.1.5', phase: 'Running' },
    })!;
    assert.equal(pod.hostname, 'pg-0');
    assert.equal(pod.subdomain, 'pg');
    assert.deepEqual(pod.dns, { policy: 'None', searches: ['a.example'], ndots: 1, nameservers: ['1.1.1.1'] });
  });
});
