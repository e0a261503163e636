// Which Pods back a Service port, and which of them kube-proxy uses, read as
// the EndpointSlice controller writes them: from a cluster's slices (their
// ready/serving/terminating conditions as they are), from live Pods (ready and
// not terminating; every Pod with publishNotReadyAddresses), and from
// manifests (symbolic replicas; a bare Pod's status taken at its word; a
// readiness probe on an undeclared port never passes). kube-proxy uses ready
// endpoints, and serving terminating ones only when none is ready
// (pkg/proxy/topology.go's CategorizeEndpoints).
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { Container, EndpointSlice, NetworkModel, Workload } from '../../../src/core/model/types';
import { collectBackends, countEndpoints, failingReadinessProbe, MAX_SYMBOLIC_REPLICAS, resolveTargetPort, usableBackends } from '../../../src/core/trace/endpoints';
import type { Backend } from '../../../src/core/trace/types';
import { container, endpointSlice, model, node, pod, service, servicePort, workload } from '../../fixtures/trace/build';

const ep = (ip: string, o: Partial<EndpointSlice['endpoints'][number]> = {}): EndpointSlice['endpoints'][number] => ({ addresses: [ip], ready: true, serving: true, terminating: false, ...o });
const brief = (b: Backend) => ({ address: b.address, port: b.port, ready: b.ready, serving: b.serving, terminating: b.terminating, symbolic: b.symbolic, ...(b.note ? { note: b.note } : {}) });

function collect(m: NetworkModel, ns: string, name: string, port?: number, opts?: { lookupPods?: boolean }) {
  const svc = m.services.find((s) => s.namespace === ns && s.name === name)!;
  const sp = port === undefined ? svc.ports[0] : svc.ports.find((p) => p.port === port)!;
  return collectBackends(new ModelIndex(m), svc, sp, opts);
}
const count = (m: NetworkModel, ns: string, name: string) => {
  const svc = m.services.find((s) => s.namespace === ns && s.name === name)!;
  return countEndpoints(new ModelIndex(m), svc, svc.ports[0]);
};

describe('endpoints from EndpointSlices', () => {
  it('each endpoint\'s first address, conditions as written, the port of the same name and protocol, its Pod when the slice names one', () => {
    const w = workload('shop', 'web', { app: 'web' });
    w.pods = [pod('shop', 'web-1', '10.0.0.1', 'n1')];
    const slice = endpointSlice('shop', 'web', [{ name: 'http', port: 8081, protocol: 'UDP' }, { name: 'http', port: 8080, protocol: 'TCP' }], [
      { ...ep('10.0.0.1'), targetRef: { kind: 'Pod', name: 'web-1', namespace: '' } as EndpointSlice['endpoints'][number]['targetRef'] },
      ep('10.0.0.2', { ready: false, serving: true, terminating: true, nodeName: 'n2', zoneHints: ['z1'] }),
      { ...ep(''), addresses: [] },
    ]);
    const m = model({ source: 'cluster', workloads: [w], services: [service('shop', 'web', { app: 'web' }, [servicePort(80, 'http', 'http')])], endpointSlices: [slice] });
    const set = collect(m, 'shop', 'web');
    assert.equal(set.source, 'endpointslices');
    assert.deepEqual(set.backends.map(brief), [
      { address: '10.0.0.1', port: 8080, ready: true, serving: true, terminating: false, symbolic: false },
      { address: '10.0.0.2', port: 8080, ready: false, serving: true, terminating: true, symbolic: false },
    ]);
    assert.deepEqual(set.backends.map((b) => [b.nodeName, b.zoneHints, b.pod?.name, b.objectIds]), [
      ['n1', undefined, 'web-1', [slice.id, w.id, w.pods[0].id]],
      ['n2', ['z1'], undefined, [slice.id]],
    ]);
    // A count does not look the Pods up.
    assert.equal(collect(m, 'shop', 'web', undefined, { lookupPods: false }).backends[0].pod, undefined);
    // A Service port the slice does not name: listed, with no port, and said why.
    m.services[0].ports = [servicePort(80, 'http', 'web')];
    assert.deepEqual(collect(m, 'shop', 'web').backends.map((b) => [b.port, b.note]), [
      [undefined, 'the EndpointSlice web-abc has no port named "web"'],
      [undefined, 'the EndpointSlice web-abc has no port named "web"'],
    ]);
  });
  it('FQDN slices are not endpoints kube-proxy programs: the selector\'s Pods are read instead', () => {
    const w = workload('shop', 'web', { app: 'web' }, { ports: [8080] });
    w.pods = [pod('shop', 'web-1', '10.0.0.1', 'n1')];
    const fqdn: EndpointSlice = { ...endpointSlice('shop', 'web', [{ port: 8080, protocol: 'TCP' }], [ep('db.example.com')]), addressType: 'FQDN' };
    const m = model({ source: 'cluster', workloads: [w], services: [service('shop', 'web', { app: 'web' }, [servicePort(80, 8080)])], endpointSlices: [fqdn] });
    const set = collect(m, 'shop', 'web');
    assert.deepEqual([set.source, set.backends.map((b) => b.address), set.backends.map((b) => b.objectIds)], ['pods', ['10.0.0.1'], [[w.id, w.pods[0].id]]]);
  });
  it('kube-proxy uses the ready ones; with none ready, the serving terminating ones (draining); endpoints without a port never', () => {
    const b = (o: Partial<Backend>): Backend => ({ address: 'x', symbolic: false, port: 80, ready: false, serving: false, terminating: false, objectIds: [], ...o });
    const ready = b({ address: 'r', ready: true, serving: true });
    const draining = b({ address: 'd', serving: true, terminating: true });
    const stopping = b({ address: 's', terminating: true });
    const unready = b({ address: 'u', serving: true });
    const portless = b({ address: 'p', ready: true, port: undefined });
    assert.deepEqual(usableBackends([ready, draining, portless]), { usable: [ready], fallback: false });
    assert.deepEqual(usableBackends([draining, stopping, unready, portless]), { usable: [draining], fallback: true });
    assert.deepEqual(usableBackends([stopping, unready, { ...portless, ready: false, serving: true, terminating: true }]), { usable: [], fallback: false });
  });
  it('the count a trace gives: total, ready, draining, without a port, and why some are not counted', () => {
    const m = model({
      source: 'cluster',
      services: [service('shop', 'web', { app: 'web' }, [servicePort(80, 8080, 'http')])],
      endpointSlices: [endpointSlice('shop', 'web', [{ name: 'http', port: 8080, protocol: 'TCP' }], [ep('10.0.0.1', { ready: false, terminating: true }), ep('10.0.0.2', { ready: false, terminating: true, serving: false })])],
    });
    assert.deepEqual(count(m, 'shop', 'web'), { total: 2, ready: 0, draining: 1, noPort: 0, perNode: false, source: 'endpointslices', notes: [] });
    m.endpointSlices[0].endpoints.push(ep('10.0.0.3'));
    assert.deepEqual(count(m, 'shop', 'web'), { total: 3, ready: 1, draining: 0, noPort: 0, perNode: false, source: 'endpointslices', notes: [] });
  });
});

describe('endpoints from live Pods (no EndpointSlice read)', () => {
  function live(publish = false): NetworkModel {
    const c = [container('web', [[8080, 'http']])];
    const w = workload('shop', 'web', { app: 'web' }, { containers: c });
    w.pods = [
      pod('shop', 'web-1', '10.0.0.1', 'n1'),
      pod('shop', 'web-2', '10.0.0.2', 'n2', { ready: false }),
      pod('shop', 'web-3', '10.0.0.3', 'n2', { terminating: true }),
      { ...pod('shop', 'web-4', '', 'n1'), ip: undefined, ips: [] },
      pod('shop', 'web-5', '10.0.0.5', 'n1', { containers: [container('web', [[9090, 'http']])] }),
    ];
    return model({ source: 'cluster', nodes: [node('n1', '192.168.0.1'), node('n2', '192.168.0.2')], workloads: [w], services: [service('shop', 'web', { app: 'web' }, [servicePort(80, 'http', 'http')], { publishNotReadyAddresses: publish })] });
  }
  it('ready and not terminating are ready; a Pod without an address is none; the named port resolved on each Pod\'s own containers', () => {
    const set = collect(live(), 'shop', 'web');
    assert.equal(set.source, 'pods');
    assert.deepEqual(set.backends.map(brief), [
      { address: '10.0.0.1', port: 8080, ready: true, serving: true, terminating: false, symbolic: false },
      { address: '10.0.0.2', port: 8080, ready: false, serving: false, terminating: false, symbolic: false },
      { address: '10.0.0.3', port: 8080, ready: false, serving: true, terminating: true, symbolic: false },
      { address: '10.0.0.5', port: 9090, ready: true, serving: true, terminating: false, symbolic: false },
    ]);
    assert.deepEqual(set.backends.map((b) => [b.nodeName, b.pod?.name]), [['n1', 'web-1'], ['n2', 'web-2'], ['n2', 'web-3'], ['n1', 'web-5']]);
  });
  it('a cluster whose selected workloads have no Pod: no endpoint, not symbolic ones', () => {
    const m = live();
    m.workloads[0].pods = [];
    const set = collect(m, 'shop', 'web');
    assert.deepEqual([set.source, set.backends, set.notes], ['pods', [], []]);
  });
  it('publishNotReadyAddresses: every Pod with an address is ready to DNS and kube-proxy', () => {
    assert.deepEqual(collect(live(true), 'shop', 'web').backends.map((b) => b.ready), [true, true, true, true]);
  });
  it('a named targetPort no container declares: listed without a port, and said', () => {
    const m = live();
    m.services[0].ports = [servicePort(80, 'grpc', 'grpc')];
    assert.deepEqual(collect(m, 'shop', 'web').backends[0].note, 'no container of web-1 declares a port named "grpc"');
    assert.equal(count(m, 'shop', 'web').noPort, 4);
  });
  it('trafficDistribution PreferClose: each endpoint hinted for its node\'s zone, only when every zone is known', () => {
    const m = live();
    m.nodes = [{ ...node('n1', '192.168.0.1'), labels: { 'topology.kubernetes.io/zone': 'a' } }, { ...node('n2', '192.168.0.2'), labels: { 'topology.kubernetes.io/zone': 'b' } }];
    m.services[0].trafficDistribution = 'PreferClose';
    assert.deepEqual(collect(m, 'shop', 'web').backends.map((b) => b.zoneHints), [['a'], ['b'], ['b'], ['a']]);
    m.services[0].trafficDistribution = 'PreferSameZone';
    assert.deepEqual(collect(m, 'shop', 'web').backends.map((b) => b.zoneHints), [['a'], ['b'], ['b'], ['a']]);
    m.services[0].trafficDistribution = 'PreferSameNode';
    assert.deepEqual(collect(m, 'shop', 'web').backends.map((b) => b.zoneHints), [undefined, undefined, undefined, undefined]);
    m.services[0].trafficDistribution = 'PreferClose';
    m.nodes[1].labels = {};
    assert.deepEqual(collect(m, 'shop', 'web').backends.map((b) => b.zoneHints), [undefined, undefined, undefined, undefined]);
  });
});

describe('endpoints from manifests', () => {
  const probeOn = (port: string | number): Container => ({ ...container('web', [[8080, 'http']]), probes: [{ probe: 'readiness', handler: 'httpGet', port }] });
  const svcFor = (publish = false) => service('shop', 'web', { app: 'web' }, [servicePort(80, 'http', 'http')], { publishNotReadyAddresses: publish });
  const one = (w: Workload, publish = false) => model({ workloads: [w], services: [svcFor(publish)] });

  it('replicas as symbolic endpoints, ready once running; replicas: 0 adds none; the ready count of an exported status', () => {
    const w = workload('shop', 'web', { app: 'web' }, { replicas: 3, ports: [[8080, 'http']] });
    w.statusReadyReplicas = 1;
    const set = collect(one(w), 'shop', 'web');
    assert.equal(set.source, 'selector');
    assert.deepEqual(set.backends.map((b) => b.objectIds), [[w.id], [w.id], [w.id]]);
    assert.deepEqual(set.backends.map(brief), [
      { address: '<shop/Deployment/web replica 1>', port: 8080, ready: true, serving: true, terminating: false, symbolic: true },
      { address: '<shop/Deployment/web replica 2>', port: 8080, ready: false, serving: false, terminating: false, symbolic: true, note: '<shop/Deployment/web replica 2> is not ready (the status counts 1 ready)' },
      { address: '<shop/Deployment/web replica 3>', port: 8080, ready: false, serving: false, terminating: false, symbolic: true, note: '<shop/Deployment/web replica 3> is not ready (the status counts 1 ready)' },
    ]);
    assert.deepEqual(set.notes, ['shop/Deployment/web: its status says 1 of 3 replicas are ready', 'manifests carry no Pod IPs, nodes or readiness: endpoints are symbolic, assumed ready once running']);
    // publishNotReadyAddresses: all of them.
    assert.deepEqual(collect(one(w, true), 'shop', 'web').backends.map((b) => b.ready), [true, true, true]);
    const zero = workload('shop', 'web', { app: 'web' }, { replicas: 0 });
    const none = collect(one(zero), 'shop', 'web');
    assert.deepEqual([none.backends, none.notes], [[], ['shop/Deployment/web has replicas: 0, so it adds no endpoint']]);
  });
  it('beyond 50 replicas: the first 50 listed, the rest counted', () => {
    const w = workload('shop', 'web', { app: 'web' }, { replicas: MAX_SYMBOLIC_REPLICAS + 10, ports: [[8080, 'http']] });
    w.statusReadyReplicas = 55;
    const set = collect(one(w), 'shop', 'web');
    assert.equal(set.backends.length, 50);
    assert.deepEqual(set.unlisted, { total: 10, ready: 5 });
    assert.ok(set.notes.includes('shop/Deployment/web has 60 replicas; the first 50 are listed'));
    assert.deepEqual(count(one(w), 'shop', 'web'), { total: 60, ready: 55, draining: 0, noPort: 0, perNode: false, source: 'selector', notes: ['shop/Deployment/web: its status says 55 of 60 replicas are ready'] });
    // A readiness probe that never passes: none of them is ready, listed or not.
    const failing = workload('shop', 'web', { app: 'web' }, { replicas: 60, containers: [probeOn('health')] });
    assert.deepEqual(collect(one(failing), 'shop', 'web').unlisted, { total: 10, ready: 0 });
  });
  it('a StatefulSet\'s Pods by their names; a DaemonSet one per node; a Job while it runs; a bare Pod as itself', () => {
    const sts = workload('shop', 'web', { app: 'web' }, { kind: 'StatefulSet', replicas: 2, ports: [[8080, 'http']] });
    assert.deepEqual(collect(one(sts), 'shop', 'web').backends.map((b) => b.address), ['<shop/Pod/web-0>', '<shop/Pod/web-1>']);
    const ds = workload('shop', 'web', { app: 'web' }, { kind: 'DaemonSet', ports: [[8080, 'http']], hostNetwork: true });
    const dsSet = collect(one(ds), 'shop', 'web');
    assert.deepEqual(dsSet.backends.map((b) => [b.address, b.countUnknown]), [['<shop/DaemonSet/web on each node>', true]]);
    assert.deepEqual(dsSet.notes.slice(0, 2), [
      "shop/DaemonSet/web uses hostNetwork: each endpoint's address is its node's, in the node's own network namespace",
      'shop/DaemonSet/web runs one Pod per node: as many endpoints as nodes, which manifests do not say',
    ]);
    assert.equal(count(one(ds), 'shop', 'web').perNode, true);
    for (const kind of ['Job', 'CronJob'] as const) {
      const job = workload('shop', 'web', { app: 'web' }, { kind, ports: [[8080, 'http']] });
      const s = collect(one(job), 'shop', 'web');
      assert.deepEqual([s.backends.map((b) => b.address), s.notes[0]], [[`<shop/${kind}/web Pod while it runs>`], `shop/${kind}/web has Pods only while a run is in progress`]);
    }
    const bare = workload('shop', 'web', { app: 'web' }, { kind: 'Pod', ports: [[8080, 'http']] });
    assert.deepEqual(collect(one(bare), 'shop', 'web').backends.map((b) => [b.address, b.ready]), [['<shop/Pod/web>', true]]);
  });
  it('a bare Pod with status: its address, node and Ready condition as written; no longer symbolic', () => {
    const bare = (status: Workload['podStatus']) => {
      const w = workload('shop', 'web', { app: 'web' }, { kind: 'Pod', ports: [[8080, 'http']] });
      w.podStatus = status;
      return w;
    };
    const running = collect(one(bare({ ips: ['10.1.1.1'], ready: true, nodeName: 'n1', phase: 'Running', terminating: false })), 'shop', 'web');
    assert.equal(running.source, 'pods');
    assert.deepEqual(running.backends.map((b) => [b.address, b.symbolic, b.ready, b.serving, b.nodeName]), [['10.1.1.1', false, true, true, 'n1']]);
    const notReady = collect(one(bare({ ips: ['10.1.1.1'], ready: false, phase: 'Running', terminating: false })), 'shop', 'web');
    assert.deepEqual(notReady.backends.map((b) => [b.ready, b.serving, b.note]), [[false, false, '10.1.1.1 is not ready (its status says phase Running, Ready False)']]);
    const pending = collect(one(bare({ ips: [], phase: 'Pending', terminating: false })), 'shop', 'web');
    assert.deepEqual(pending.backends.map((b) => [b.address, b.symbolic, b.ready, b.note]), [['<shop/Pod/web>', true, false, 'shop/Pod/web is not ready (its status says phase Pending, Ready unknown)']]);
    const leaving = collect(one(bare({ ips: ['10.1.1.1'], ready: true, terminating: true })), 'shop', 'web');
    assert.deepEqual(leaving.backends.map((b) => [b.ready, b.serving, b.terminating, b.note]), [[false, true, true, '10.1.1.1 is terminating']]);
    const noCondition = collect(one(bare({ ips: ['10.1.1.1'], terminating: false })), 'shop', 'web');
    assert.deepEqual([noCondition.backends[0].ready, noCondition.backends[0].serving, noCondition.notes], [true, true, ['shop/Pod/web has a status without a Ready condition: assumed ready']]);
    // publishNotReadyAddresses: ready whatever the status says.
    assert.equal(collect(one(bare({ ips: ['10.1.1.1'], ready: false, phase: 'Failed', terminating: true }), true), 'shop', 'web').backends[0].ready, true);
  });
  it('a Pod with status beside a Deployment: still symbolic as a whole; a DaemonSet among them makes the count per node', () => {
    const bare = workload('shop', 'web-pod', { app: 'web' }, { kind: 'Pod', ports: [[8080, 'http']] });
    bare.podStatus = { ips: ['10.1.1.1'], ready: true, terminating: false };
    const dep = workload('shop', 'web', { app: 'web' }, { replicas: 1, ports: [[8080, 'http']] });
    const ds = workload('shop', 'web-ds', { app: 'web' }, { kind: 'DaemonSet', ports: [[8080, 'http']] });
    const m = model({ workloads: [bare, dep, ds], services: [svcFor()] });
    const set = collect(m, 'shop', 'web');
    assert.deepEqual([set.source, set.backends.map((b) => [b.address, b.symbolic])], [
      'selector',
      [
        ['10.1.1.1', false],
        ['<shop/Deployment/web replica 1>', true],
        ['<shop/DaemonSet/web-ds on each node>', true],
      ],
    ]);
    assert.equal(count(m, 'shop', 'web').perNode, true);
  });
  it('trafficDistribution with an endpoint on a node the set does not list: no hints at all', () => {
    const w = workload('shop', 'web', { app: 'web' }, { ports: [[8080, 'http']] });
    w.pods = [pod('shop', 'web-1', '10.0.0.1', 'n1'), pod('shop', 'web-2', '10.0.0.2', 'gone')];
    const m = model({ source: 'cluster', nodes: [{ ...node('n1', '192.168.0.1'), labels: { 'topology.kubernetes.io/zone': 'a' } }], workloads: [w], services: [{ ...svcFor(), trafficDistribution: 'PreferClose' }] });
    assert.deepEqual(collect(m, 'shop', 'web').backends.map((b) => b.zoneHints), [undefined, undefined]);
  });
  it('a readiness probe on a port the container does not declare never passes: not an endpoint, said why', () => {
    const w = workload('shop', 'web', { app: 'web' }, { replicas: 1, containers: [probeOn('health')] });
    const set = collect(one(w), 'shop', 'web');
    assert.deepEqual(set.backends.map(brief), [
      {
        address: '<shop/Deployment/web replica 1>',
        port: 8080,
        ready: false,
        serving: false,
        terminating: false,
        symbolic: true,
        note: 'shop/Deployment/web: the readiness probe of container web names port "health", which the container does not declare, so it always fails, so its Pods never become Ready and are not endpoints (rule probe-port-missing)',
      },
    ]);
    assert.ok(!set.notes.some((n) => /assumed ready once running/.test(n)), 'none is ready: nothing is assumed ready');
    assert.deepEqual(count(one(w), 'shop', 'web').notes, [set.backends[0].note]);
    // publishNotReadyAddresses keeps it an endpoint.
    assert.deepEqual(collect(one(w, true), 'shop', 'web').backends.map((b) => [b.ready, b.note]), [[true, undefined]]);
    // Probes by number, by a declared name, of liveness, or of an init container never fail this way.
    assert.equal(failingReadinessProbe([probeOn(8080), probeOn('http'), probeOn('8080')]), undefined);
    assert.equal(failingReadinessProbe([{ ...probeOn('health'), probes: [{ probe: 'liveness', handler: 'httpGet', port: 'health' }] }]), undefined);
    assert.equal(failingReadinessProbe([{ ...probeOn('health'), init: true }]), undefined);
  });
  it('a named targetPort the template does not declare: no port, said, and counted', () => {
    const w = workload('shop', 'web', { app: 'web' }, { replicas: 2, ports: [[8080, 'web']] });
    const set = collect(one(w), 'shop', 'web');
    assert.deepEqual(set.backends.map((b) => [b.port, b.ready, b.note]), [
      [undefined, true, 'no container of shop/Deployment/web declares a port named "http"'],
      [undefined, true, 'no container of shop/Deployment/web declares a port named "http"'],
    ]);
    assert.deepEqual(count(one(w), 'shop', 'web'), { total: 2, ready: 0, draining: 0, noPort: 2, perNode: false, source: 'selector', notes: ['no container of shop/Deployment/web declares a port named "http"'] });
  });
  it('no selector: no endpoints, said; a selector matching nothing: none', () => {
    const noSel = collectBackends(new ModelIndex(model({})), service('shop', 'ext', undefined, [servicePort(80)]), servicePort(80));
    assert.deepEqual([noSel.backends, noSel.source, noSel.notes], [[], 'none', ['shop/ext has no selector: its endpoints are managed by hand (Endpoints/EndpointSlices), and the set has none']]);
    const nothing = collect(model({ services: [svcFor()] }), 'shop', 'web');
    assert.deepEqual([nothing.backends, nothing.source, nothing.notes], [[], 'selector', []]);
  });
});

describe('the targetPort as a number', () => {
  const cs = [container('a', [[8080, 'http'], { containerPort: 5353, protocol: 'UDP', name: 'dns' }])];
  it('a number as is; digits as a number; a name looked up with the protocol; absent or 0 is the port', () => {
    assert.equal(resolveTargetPort(servicePort(80, 9000), cs), 9000);
    assert.equal(resolveTargetPort(servicePort(80, '9001'), cs), 9001);
    assert.equal(resolveTargetPort(servicePort(80, 'http'), cs), 8080);
    assert.equal(resolveTargetPort(servicePort(80, 'dns'), cs), undefined, 'dns is a UDP port; this Service port is TCP');
    assert.equal(resolveTargetPort(servicePort(53, 'dns', undefined, { protocol: 'UDP' }), cs), 5353);
    assert.equal(resolveTargetPort(servicePort(80), cs), 80);
    assert.equal(resolveTargetPort(servicePort(80, 0), cs), 80);
  });
});
