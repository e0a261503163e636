// What the cluster DNS answers, question by question, against the cases of
// CoreDNS's kubernetes plugin (plugin/kubernetes/handler_test.go, TestServeDNS):
// the same Services and endpoints, the same records, rcodes and additional
// sections. Names not in that table (Pod records, PTR, TXT, the CNAME chain)
// follow the plugin's parse.go and the DNS specification it implements.
import assert from 'node:assert/strict';
import { ModelIndex } from '../../../src/core/model/model-index';
import type { EndpointSlice, NetworkModel } from '../../../src/core/model/types';
import { recordLine, type RecordType } from '../../../src/core/trace/dns-names';
import { ClusterDns } from '../../../src/core/trace/dns-zone';
import { endpointSlice, model, namespace, service, servicePort, workload } from '../../fixtures/trace/build';

const ep = (ip: string, hostname?: string): EndpointSlice['endpoints'][number] => ({ addresses: [ip], ready: true, serving: true, terminating: false, ...(hostname ? { hostname } : {}) });
const http = [{ name: 'http', port: 80, protocol: 'TCP' as const }];

/** The plugin test's fixture (APIConnServeTest): svc1, svcempty, svc6, hdls1, hdlsprtls, external, external-to-service, svc-dual-stack in testns. */
function coreDnsFixture(): NetworkModel {
  const v4 = endpointSlice('testns', 'hdls1', http, [ep('172.0.0.2'), ep('172.0.0.3'), ep('172.0.0.4', 'dup-name'), ep('172.0.0.5', 'dup-name')]);
  const v6: EndpointSlice = { ...endpointSlice('testns', 'hdls1', http, [ep('5678:abcd::1'), ep('5678:abcd::2')]), addressType: 'IPv6' };
  return model({
    namespaces: [namespace('testns')],
    services: [
      service('testns', 'svc1', { app: 'svc1' }, [servicePort(80, 80, 'http')], { clusterIP: '10.0.0.1' }),
      service('testns', 'svcempty', { app: 'svcempty' }, [servicePort(80, 80, 'http')], { clusterIP: '10.0.0.1' }),
      service('testns', 'svc6', { app: 'svc6' }, [servicePort(80, 80, 'http')], { clusterIP: '1234:abcd::1' }),
      service('testns', 'hdls1', { app: 'hdls1' }, [], { clusterIP: 'None' }),
      service('testns', 'hdlsprtls', { app: 'hdlsprtls' }, [], { clusterIP: 'None' }),
      service('testns', 'external', undefined, [servicePort(80, 80, 'http')], { type: 'ExternalName', externalName: 'ext.interwebs.test' }),
      service('testns', 'external-to-service', undefined, [servicePort(80, 80, 'http')], { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.' }),
      service('testns', 'svc-dual-stack', { app: 'ds' }, [servicePort(80, 80, 'http')], { clusterIP: '10.0.0.3', clusterIPs: ['10.0.0.3', '10::3'], ipFamilies: ['IPv4', 'IPv6'] }),
    ],
    endpointSlices: [
      endpointSlice('testns', 'svc1', http, [ep('172.0.0.1', 'ep1a')]),
      endpointSlice('testns', 'svcempty', http, []),
      v4,
      v6,
      endpointSlice('testns', 'hdlsprtls', [], [ep('172.0.0.20')]),
    ],
  });
}

interface Expected {
  rcode?: 'NOERROR' | 'NXDOMAIN';
  answer?: string[];
  extra?: string[];
}

function ask(dns: ClusterDns, name: string, type: RecordType) {
  const a = dns.answer(name, type);
  return { rcode: a.rcode, answer: a.answer.map(recordLine), extra: a.additional.map(recordLine), a };
}

const rr = (name: string, type: string, data: string, ttl = 5) => `${name}\t${ttl}\tIN\t${type}\t${data}`;

describe('cluster DNS: the kubernetes plugin\'s own cases (TestServeDNS)', () => {
  const cases: [string, RecordType, Expected][] = [
    ['svc1.testns.svc.cluster.local.', 'A', { answer: [rr('svc1.testns.svc.cluster.local.', 'A', '10.0.0.1')] }],
    ['svcempty.testns.svc.cluster.local.', 'A', { answer: [rr('svcempty.testns.svc.cluster.local.', 'A', '10.0.0.1')] }],
    ['svc1.testns.svc.cluster.local.', 'SRV', { answer: [rr('svc1.testns.svc.cluster.local.', 'SRV', '0 100 80 svc1.testns.svc.cluster.local.')], extra: [rr('svc1.testns.svc.cluster.local.', 'A', '10.0.0.1')] }],
    ['svc6.testns.svc.cluster.local.', 'SRV', { answer: [rr('svc6.testns.svc.cluster.local.', 'SRV', '0 100 80 svc6.testns.svc.cluster.local.')], extra: [rr('svc6.testns.svc.cluster.local.', 'AAAA', '1234:abcd::1')] }],
    ['_http._tcp.svc1.testns.svc.cluster.local.', 'SRV', { answer: [rr('_http._tcp.svc1.testns.svc.cluster.local.', 'SRV', '0 100 80 svc1.testns.svc.cluster.local.')], extra: [rr('svc1.testns.svc.cluster.local.', 'A', '10.0.0.1')] }],
    ['hdls1.testns.svc.cluster.local.', 'A', { answer: ['172.0.0.2', '172.0.0.3', '172.0.0.4', '172.0.0.5'].map((ip) => rr('hdls1.testns.svc.cluster.local.', 'A', ip)) }],
    ['hdlsprtls.testns.svc.cluster.local.', 'A', { answer: [rr('hdlsprtls.testns.svc.cluster.local.', 'A', '172.0.0.20')] }],
    // An existing name without a record of the type: NODATA; no such name: NXDOMAIN.
    ['svc1.testns.svc.cluster.local.', 'AAAA', { rcode: 'NOERROR', answer: [] }],
    ['svc0.testns.svc.cluster.local.', 'AAAA', { rcode: 'NXDOMAIN' }],
    ['svc0.testns.svc.cluster.local.', 'A', { rcode: 'NXDOMAIN' }],
    ['svc0.svc-nons.svc.cluster.local.', 'A', { rcode: 'NXDOMAIN' }],
    ['dns-version.cluster.local.', 'TXT', { answer: [rr('dns-version.cluster.local.', 'TXT', '"1.1.0"', 28800)] }],
    ['svc1.testns.svc.cluster.local.', 'TXT', { rcode: 'NOERROR', answer: [] }],
    ['svc0.svc-nons.svc.cluster.local.', 'TXT', { rcode: 'NXDOMAIN' }],
    ['bogusendpoint.hdls1.testns.svc.cluster.local.', 'A', { rcode: 'NXDOMAIN' }],
    ['bogusendpoint.svc0.testns.svc.cluster.local.', 'A', { rcode: 'NXDOMAIN' }],
    ['svc6.testns.svc.cluster.local.', 'AAAA', { answer: [rr('svc6.testns.svc.cluster.local.', 'AAAA', '1234:abcd::1')] }],
    ['_http._tcp.svc6.testns.svc.cluster.local.', 'SRV', { answer: [rr('_http._tcp.svc6.testns.svc.cluster.local.', 'SRV', '0 100 80 svc6.testns.svc.cluster.local.')], extra: [rr('svc6.testns.svc.cluster.local.', 'AAAA', '1234:abcd::1')] }],
    ['hdls1.testns.svc.cluster.local.', 'AAAA', { answer: ['5678:abcd::1', '5678:abcd::2'].map((ip) => rr('hdls1.testns.svc.cluster.local.', 'AAAA', ip)) }],
    // The apexes exist (NODATA); a name under the zone that is neither svc nor pod does not.
    ['svc.cluster.local.', 'A', { rcode: 'NOERROR', answer: [] }],
    ['pod.cluster.local.', 'A', { rcode: 'NOERROR', answer: [] }],
    ['testns.svc.cluster.local.', 'A', { rcode: 'NOERROR', answer: [] }],
    ['foo.cluster.local.', 'A', { rcode: 'NXDOMAIN' }],
    ['svc-dual-stack.testns.svc.cluster.local.', 'A', { answer: [rr('svc-dual-stack.testns.svc.cluster.local.', 'A', '10.0.0.3')] }],
    ['svc-dual-stack.testns.svc.cluster.local.', 'AAAA', { answer: [rr('svc-dual-stack.testns.svc.cluster.local.', 'AAAA', '10::3')] }],
    [
      'svc-dual-stack.testns.svc.cluster.local.',
      'SRV',
      { answer: [rr('svc-dual-stack.testns.svc.cluster.local.', 'SRV', '0 50 80 svc-dual-stack.testns.svc.cluster.local.')], extra: [rr('svc-dual-stack.testns.svc.cluster.local.', 'A', '10.0.0.3'), rr('svc-dual-stack.testns.svc.cluster.local.', 'AAAA', '10::3')] },
    ],
    ['endpoint.external.testns.svc.cluster.local.', 'CNAME', { rcode: 'NXDOMAIN' }],
    ['subdomain.subdomain.external.testns.svc.cluster.local.', 'CNAME', { rcode: 'NXDOMAIN' }],
    [
      '_http._tcp.hdls1.testns.svc.cluster.local.',
      'SRV',
      {
        // Six answers share the weight (16 each); the second dup-name is one SRV record but its own additional address.
        answer: ['172-0-0-2', '172-0-0-3', 'dup-name', '5678-abcd--1', '5678-abcd--2'].map((h) => rr('_http._tcp.hdls1.testns.svc.cluster.local.', 'SRV', `0 16 80 ${h}.hdls1.testns.svc.cluster.local.`)),
        extra: [
          rr('172-0-0-2.hdls1.testns.svc.cluster.local.', 'A', '172.0.0.2'),
          rr('172-0-0-3.hdls1.testns.svc.cluster.local.', 'A', '172.0.0.3'),
          rr('dup-name.hdls1.testns.svc.cluster.local.', 'A', '172.0.0.4'),
          rr('dup-name.hdls1.testns.svc.cluster.local.', 'A', '172.0.0.5'),
          rr('5678-abcd--1.hdls1.testns.svc.cluster.local.', 'AAAA', '5678:abcd::1'),
          rr('5678-abcd--2.hdls1.testns.svc.cluster.local.', 'AAAA', '5678:abcd::2'),
        ],
      },
    ],
    // The query's name without its trailing dot is the same question.
    ['5678-abcd--2.hdls1.testns.svc.cluster.local', 'AAAA', { answer: [rr('5678-abcd--2.hdls1.testns.svc.cluster.local.', 'AAAA', '5678:abcd::2')] }],
    ['5678-abcd--1.hdls1.testns.svc.cluster.local.', 'AAAA', { answer: [rr('5678-abcd--1.hdls1.testns.svc.cluster.local.', 'AAAA', '5678:abcd::1')] }],
    ['172-0-0-20.hdlsprtls.testns.svc.cluster.local.', 'A', { answer: [rr('172-0-0-20.hdlsprtls.testns.svc.cluster.local.', 'A', '172.0.0.20')] }],
    ['172-0-0-2.hdls1.testns.svc.cluster.local.', 'A', { answer: [rr('172-0-0-2.hdls1.testns.svc.cluster.local.', 'A', '172.0.0.2')] }],
    ['dup-name.hdls1.testns.svc.cluster.local.', 'A', { answer: [rr('dup-name.hdls1.testns.svc.cluster.local.', 'A', '172.0.0.4'), rr('dup-name.hdls1.testns.svc.cluster.local.', 'A', '172.0.0.5')] }],
    ['external.testns.svc.cluster.local.', 'CNAME', { answer: [rr('external.testns.svc.cluster.local.', 'CNAME', 'ext.interwebs.test.')] }],
    [
      'external-to-service.testns.svc.cluster.local',
      'A',
      { answer: [rr('external-to-service.testns.svc.cluster.local.', 'CNAME', 'svc1.testns.svc.cluster.local.'), rr('svc1.testns.svc.cluster.local.', 'A', '10.0.0.1')] },
    ],
    // An endpoint of a ClusterIP Service has its own name too (ep1a, svc1's endpoint).
    ['ep1a.svc1.testns.svc.cluster.local.', 'A', { answer: [rr('ep1a.svc1.testns.svc.cluster.local.', 'A', '172.0.0.1')] }],
    ['nsnoexist.svc.cluster.local.', 'A', { rcode: 'NXDOMAIN' }],
    ['svc1.nsnoexist.svc.cluster.local.', 'A', { rcode: 'NXDOMAIN' }],
  ];
  for (const [name, type, want] of cases) {
    it(`${name} ${type}`, () => {
      const dns = new ClusterDns(new ModelIndex(coreDnsFixture()));
      const got = ask(dns, name, type);
      assert.deepEqual(
        { rcode: got.rcode, answer: got.answer, extra: got.extra, upstream: got.a.upstream },
        { rcode: want.rcode ?? 'NOERROR', answer: want.answer ?? [], extra: want.extra ?? [], upstream: undefined },
      );
    });
  }
});

describe('cluster DNS: names beyond the plugin\'s table', () => {
  const dns = () => new ClusterDns(new ModelIndex(coreDnsFixture()));

  it('the upper case of a question is kept in its records, names compare without case (the specification 2.1)', () => {
    const got = ask(dns(), 'SVC1.TestNS.svc.Cluster.Local.', 'SRV');
    assert.deepEqual(got.answer, [rr('SVC1.TestNS.svc.Cluster.Local.', 'SRV', '0 100 80 svc1.testns.svc.Cluster.Local.')]);
    assert.deepEqual(got.extra, [rr('svc1.testns.svc.Cluster.Local.', 'A', '10.0.0.1')]);
    assert.equal(ask(dns(), 'DUP-NAME.hdls1.testns.svc.cluster.local.', 'A').answer.length, 2);
  });
  it('a name outside the zone is not the cluster\'s: forwarded upstream, no rcode of its own', () => {
    const got = ask(dns(), 'example.com', 'A');
    assert.deepEqual([got.rcode, got.answer, got.a.upstream], ['NOERROR', [], 'outside cluster.local, forwarded by CoreDNS to the upstream resolvers (not in the set)']);
    assert.equal(dns().isAuthoritative('example.com'), false);
    assert.equal(dns().isAuthoritative('local.'), false);
    assert.equal(dns().isAuthoritative('cluster.local'), true);
    assert.equal(dns().isAuthoritative('1.0.0.10.in-addr.arpa.'), true);
    // A zone given with its dot and upper case is the same zone.
    assert.equal(new ClusterDns(new ModelIndex(coreDnsFixture()), 'Cluster.Local.').zone, 'cluster.local');
  });
  it('the apex: NODATA for A, NXDOMAIN for TXT (no record of any type lives there)', () => {
    assert.deepEqual([ask(dns(), 'cluster.local.', 'A').rcode, ask(dns(), 'cluster.local.', 'TXT').rcode, ask(dns(), 'testns.svc.cluster.local.', 'TXT').rcode], ['NOERROR', 'NXDOMAIN', 'NXDOMAIN']);
    // dns-version answers TXT only.
    assert.deepEqual([ask(dns(), 'dns-version.cluster.local.', 'A').rcode, ask(dns(), 'dns-version.cluster.local.', 'A').answer], ['NXDOMAIN', []]);
  });
  it('more labels than endpoint or _port._protocol, or neither svc nor pod before the zone: NXDOMAIN', () => {
    assert.equal(ask(dns(), 'a.b.c.svc1.testns.svc.cluster.local.', 'A').rcode, 'NXDOMAIN');
    assert.equal(ask(dns(), 'a.svc1.testns.cluster.local.', 'A').rcode, 'NXDOMAIN');
    assert.equal(ask(dns(), 'svc1.testns.foo.cluster.local.', 'A').rcode, 'NXDOMAIN');
    // A Service whose name is "svc" is a name like any other, not the svc apex.
    assert.equal(ask(dns(), 'svc.testns.svc.cluster.local.', 'A').rcode, 'NXDOMAIN');
  });
  it('SRV by port name and protocol: a protocol or a name the Service does not have is NXDOMAIN; either may be left out', () => {
    assert.equal(ask(dns(), '_http._udp.svc1.testns.svc.cluster.local.', 'SRV').rcode, 'NXDOMAIN');
    assert.equal(ask(dns(), '_https._tcp.svc1.testns.svc.cluster.local.', 'SRV').rcode, 'NXDOMAIN');
    assert.equal(ask(dns(), '_HTTP._TCP.svc1.testns.svc.cluster.local.', 'SRV').answer.length, 1);
    // The _port._protocol name has an address too (the plugin answers A for it).
    assert.deepEqual(ask(dns(), '_http._tcp.svc1.testns.svc.cluster.local.', 'A').answer, [rr('_http._tcp.svc1.testns.svc.cluster.local.', 'A', '10.0.0.1')]);
    // A headless Service without ports has no SRV name for a port.
    assert.equal(ask(dns(), '_http._tcp.hdlsprtls.testns.svc.cluster.local.', 'SRV').rcode, 'NXDOMAIN');
    // Its endpoint exists but has no port: the SRV question is NODATA.
    const portless = ask(dns(), 'hdlsprtls.testns.svc.cluster.local.', 'SRV');
    assert.deepEqual([portless.rcode, portless.answer, portless.extra], ['NOERROR', [], []]);
  });
  it('SRV of a Service with two ports: one record per port, its address in the additional section once', () => {
    const m = coreDnsFixture();
    m.services.push(service('testns', 'two', { app: 'two' }, [servicePort(80, 80, 'http'), servicePort(443, 443, 'https')], { clusterIP: '10.0.0.5' }));
    const got = ask(new ClusterDns(new ModelIndex(m)), 'two.testns.svc.cluster.local.', 'SRV');
    assert.deepEqual(got.answer, [rr('two.testns.svc.cluster.local.', 'SRV', '0 50 80 two.testns.svc.cluster.local.'), rr('two.testns.svc.cluster.local.', 'SRV', '0 50 443 two.testns.svc.cluster.local.')]);
    assert.deepEqual(got.extra, [rr('two.testns.svc.cluster.local.', 'A', '10.0.0.5')]);
  });
  it('a headless Service with no ready endpoint is NXDOMAIN, for every type', () => {
    const m = coreDnsFixture();
    m.endpointSlices = m.endpointSlices.filter((s) => s.serviceName !== 'hdls1');
    const d = new ClusterDns(new ModelIndex(m));
    assert.deepEqual(['A', 'AAAA', 'SRV', 'TXT'].map((t) => d.answer('hdls1.testns.svc.cluster.local.', t as RecordType).rcode), ['NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN', 'NXDOMAIN']);
  });
  it('a ClusterIP Service without ports (the API server requires one) has no name at all: NXDOMAIN, as the plugin\'s findServices matches no port', () => {
    const m = coreDnsFixture();
    m.services.push(service('testns', 'noports', { app: 'x' }, [], { clusterIP: '10.0.0.9' }));
    const d = new ClusterDns(new ModelIndex(m));
    assert.equal(d.answer('noports.testns.svc.cluster.local.', 'A').rcode, 'NXDOMAIN');
  });
  it('ExternalName: CNAME only; A/AAAA name the target and leave it upstream; SRV has none; an address as target is no name', () => {
    const d = dns();
    const a = d.answer('external.testns.svc.cluster.local.', 'A');
    assert.deepEqual([a.rcode, a.answer.map(recordLine), a.upstreamTarget, a.service?.name], ['NOERROR', [rr('external.testns.svc.cluster.local.', 'CNAME', 'ext.interwebs.test.')], 'ext.interwebs.test.', 'external']);
    const srv = d.answer('external.testns.svc.cluster.local.', 'SRV');
    assert.deepEqual([srv.rcode, srv.answer, srv.additional], ['NOERROR', [], []]);
    assert.equal(d.answer('_http._tcp.external.testns.svc.cluster.local.', 'SRV').rcode, 'NXDOMAIN');
    const m = coreDnsFixture();
    m.services.push(service('testns', 'byip', undefined, [], { type: 'ExternalName', externalName: '1.2.3.4' }));
    m.services.push(service('testns', 'empty', undefined, [], { type: 'ExternalName' }));
    const d2 = new ClusterDns(new ModelIndex(m));
    assert.equal(d2.answer('byip.testns.svc.cluster.local.', 'A').rcode, 'NXDOMAIN');
    assert.equal(d2.answer('empty.testns.svc.cluster.local.', 'CNAME').rcode, 'NXDOMAIN');
    // CNAME of a ClusterIP Service: the name exists, no CNAME record.
    const c = d.answer('svc1.testns.svc.cluster.local.', 'CNAME');
    assert.deepEqual([c.rcode, c.answer], ['NOERROR', []]);
    // PTR on a forward name: NODATA.
    assert.deepEqual([d.answer('svc1.testns.svc.cluster.local.', 'PTR').rcode, d.answer('svc1.testns.svc.cluster.local.', 'PTR').answer], ['NOERROR', []]);
  });
  it('a CNAME chain inside the zone is followed; two ExternalNames naming each other end after 10 steps with the CNAMEs alone', () => {
    const m = coreDnsFixture();
    m.services.push(service('testns', 'hop1', undefined, [], { type: 'ExternalName', externalName: 'external-to-service.testns.svc.cluster.local' }));
    m.services.push(service('testns', 'ping', undefined, [], { type: 'ExternalName', externalName: 'pong.testns.svc.cluster.local' }));
    m.services.push(service('testns', 'pong', undefined, [], { type: 'ExternalName', externalName: 'ping.testns.svc.cluster.local' }));
    m.services.push(service('testns', 'self', undefined, [], { type: 'ExternalName', externalName: 'self.testns.svc.cluster.local' }));
    m.services.push(service('testns', 'nowhere', undefined, [], { type: 'ExternalName', externalName: 'svc0.testns.svc.cluster.local' }));
    const d = new ClusterDns(new ModelIndex(m));
    assert.deepEqual(d.answer('hop1.testns.svc.cluster.local.', 'A').answer.map(recordLine), [
      rr('hop1.testns.svc.cluster.local.', 'CNAME', 'external-to-service.testns.svc.cluster.local.'),
      rr('external-to-service.testns.svc.cluster.local.', 'CNAME', 'svc1.testns.svc.cluster.local.'),
      rr('svc1.testns.svc.cluster.local.', 'A', '10.0.0.1'),
    ]);
    // A loop gives no address: every CNAME followed came back empty-handed.
    assert.deepEqual(d.answer('ping.testns.svc.cluster.local.', 'A').answer, []);
    assert.deepEqual(d.answer('self.testns.svc.cluster.local.', 'A').answer, []);
    // A target inside the zone that does not exist: no answer at all (not a dangling CNAME).
    assert.deepEqual(d.answer('nowhere.testns.svc.cluster.local.', 'A').answer, []);
    // AAAA through the chain: svc1 has no IPv6 address.
    assert.deepEqual(d.answer('external-to-service.testns.svc.cluster.local.', 'AAAA').answer, []);
  });
  it('Pod records (pods insecure): a dashed address answers with itself, in any namespace the cluster knows', () => {
    const d = dns();
    assert.deepEqual(ask(d, '10-244-1-5.testns.pod.cluster.local.', 'A').answer, [rr('10-244-1-5.testns.pod.cluster.local.', 'A', '10.244.1.5')]);
    assert.deepEqual(ask(d, 'fd00--5.default.pod.cluster.local.', 'AAAA').answer, [rr('fd00--5.default.pod.cluster.local.', 'AAAA', 'fd00::5')]);
    // The A question for an IPv6 Pod name: NODATA.
    assert.deepEqual([ask(d, 'fd00--5.default.pod.cluster.local.', 'A').rcode, ask(d, 'fd00--5.default.pod.cluster.local.', 'A').answer], ['NOERROR', []]);
    assert.equal(ask(d, 'web.testns.pod.cluster.local.', 'A').rcode, 'NXDOMAIN');
    // A Pod name has addresses only: SRV there is NODATA.
    assert.deepEqual([ask(d, '10-244-1-5.testns.pod.cluster.local.', 'SRV').rcode, ask(d, '10-244-1-5.testns.pod.cluster.local.', 'SRV').answer], ['NOERROR', []]);
    assert.equal(ask(d, '10-244-1-5.nowhere.pod.cluster.local.', 'A').rcode, 'NXDOMAIN');
    // Every cluster has these namespaces, whatever the set declares.
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.equal(ask(d, `10-0-0-1.${ns}.pod.cluster.local.`, 'A').answer.length, 1, ns);
    // A namespace the set only puts workloads in exists too.
    const m = coreDnsFixture();
    m.workloads.push(workload('jobs', 'batch', { app: 'batch' }));
    assert.equal(ask(new ClusterDns(new ModelIndex(m)), '10-0-0-1.jobs.pod.cluster.local.', 'A').answer.length, 1);
    assert.equal(ask(d, 'kube-system.svc.cluster.local.', 'A').rcode, 'NOERROR');
  });
  it('PTR: a ClusterIP names its Service, an endpoint address its own name; an address nobody has is NXDOMAIN, passed upstream', () => {
    const d = dns();
    assert.deepEqual(ask(d, '1.0.0.10.in-addr.arpa.', 'PTR').answer, [rr('1.0.0.10.in-addr.arpa.', 'PTR', 'svc1.testns.svc.cluster.local.')]);
    // svc6's IPv6 ClusterIP, its 32 nibbles.
    const v6 = '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.';
    assert.deepEqual(ask(d, v6, 'PTR').answer, [rr(v6, 'PTR', 'svc6.testns.svc.cluster.local.')]);
    const epPtr = d.answer('4.0.0.172.in-addr.arpa.', 'PTR');
    assert.deepEqual([epPtr.answer.map(recordLine), epPtr.service?.name, epPtr.endpoint], [[rr('4.0.0.172.in-addr.arpa.', 'PTR', 'dup-name.hdls1.testns.svc.cluster.local.')], 'hdls1', 'dup-name']);
    assert.deepEqual(ask(d, '2.0.0.172.in-addr.arpa.', 'PTR').answer, [rr('2.0.0.172.in-addr.arpa.', 'PTR', '172-0-0-2.hdls1.testns.svc.cluster.local.')]);
    // A Service that carries only clusterIP (no clusterIPs list) is found by it too.
    const m = coreDnsFixture();
    m.services.push({ ...service('other', 'old', { app: 'x' }, [servicePort(80)]), clusterIP: '10.0.0.77', clusterIPs: [] });
    assert.deepEqual(ask(new ClusterDns(new ModelIndex(m)), '77.0.0.10.in-addr.arpa.', 'PTR').answer, [rr('77.0.0.10.in-addr.arpa.', 'PTR', 'old.other.svc.cluster.local.')]);
    const nobody = d.answer('9.9.9.9.in-addr.arpa.', 'PTR');
    assert.equal(nobody.rcode, 'NXDOMAIN');
    assert.match(nobody.upstream ?? '', /^NXDOMAIN in the cluster \(no Service or endpoint has 9\.9\.9\.9\), passed to the upstream resolvers/);
    // A reverse name asked for another type, or an incomplete one: NXDOMAIN, not forwarded.
    const a = d.answer('1.0.0.10.in-addr.arpa.', 'A');
    assert.deepEqual([a.rcode, a.upstream, a.answer], ['NXDOMAIN', undefined, []]);
    const partial = d.answer('0.10.in-addr.arpa.', 'PTR');
    assert.deepEqual([partial.rcode, partial.upstream], ['NXDOMAIN', undefined]);
  });
  it('PTR skips ExternalName and headless Services for the ClusterIP, and names one address in two slices once', () => {
    const m = coreDnsFixture();
    m.services.push(service('testns', 'ext2', undefined, [], { type: 'ExternalName', externalName: 'x.example', clusterIP: '10.0.0.7' }));
    // The same endpoint in a second slice of svc1 (during a slice's replacement).
    m.endpointSlices.push({ ...endpointSlice('testns', 'svc1', http, [ep('172.0.0.1', 'ep1a')]), name: 'svc1-def' });
    // A Service of manifests with no address yet is no answer to any PTR.
    m.services.unshift(service('testns', 'unassigned', { app: 'x' }, [servicePort(80)]));
    const d = new ClusterDns(new ModelIndex(m));
    assert.equal(d.answer('7.0.0.10.in-addr.arpa.', 'PTR').rcode, 'NXDOMAIN');
    assert.deepEqual(ask(d, '1.0.0.172.in-addr.arpa.', 'PTR').answer, [rr('1.0.0.172.in-addr.arpa.', 'PTR', 'ep1a.svc1.testns.svc.cluster.local.')]);
  });
  it('the Service\'s addresses: clusterIPs, else clusterIP, else one placeholder per family', () => {
    const d = dns();
    const s = (extra: Parameters<typeof service>[4]) => service('x', 's', { a: 'b' }, [], extra);
    assert.deepEqual(d.clusterIps(s({ clusterIPs: ['', 'None', '10.1.1.1'] })), ['10.1.1.1']);
    assert.deepEqual(d.clusterIps(s({ clusterIP: '10.2.2.2', clusterIPs: [] })), ['10.2.2.2']);
    assert.deepEqual(d.clusterIps(s({})), ['<ClusterIP>']);
    assert.deepEqual(d.clusterIps(s({ ipFamilies: ['IPv6'] })), ['<IPv6-ClusterIP>']);
    assert.deepEqual(d.clusterIps({ ...s({}), clusterIP: 'None', clusterIPs: ['None'] }), ['<ClusterIP>']);
    assert.equal(d.serviceName(s({})), 's.x.svc.cluster.local.');
  });
  it('symbolic endpoints of manifests answer in the family their placeholder names', () => {
    const m = coreDnsFixture();
    m.services.push(service('testns', 'v6', { app: 'svc1' }, [servicePort(80, 80, 'http')], { ipFamilies: ['IPv6'] }));
    const d = new ClusterDns(new ModelIndex(m));
    assert.deepEqual(ask(d, 'v6.testns.svc.cluster.local.', 'AAAA').answer, [rr('v6.testns.svc.cluster.local.', 'AAAA', '<IPv6-ClusterIP>')]);
    assert.deepEqual(ask(d, 'v6.testns.svc.cluster.local.', 'A').answer, []);
    assert.deepEqual(ask(d, 'v6.testns.svc.cluster.local.', 'SRV').extra, [rr('v6.testns.svc.cluster.local.', 'AAAA', '<IPv6-ClusterIP>')]);
  });
});
