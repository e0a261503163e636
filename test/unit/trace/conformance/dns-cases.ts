// DNS conformance cases, from the Kubernetes DNS specification
// (kubernetes/dns docs/specification.md, schema 1.1.0), CoreDNS's kubernetes
// plugin tests (coredns/coredns plugin/kubernetes/*_test.go) and the
// Kubernetes documentation's "DNS for Services and Pods" page. The objects are
// upstream's fixtures written as manifests; the answers are upstream's.
// The specification's example TTLs (4, 14, 30) are its own illustration: the
// records here carry CoreDNS's default, 5, as its tests do.
import { docs, namespaceDoc, slice, svc, type DnsCase } from './dns-runner';

const HTTP: [string, string, number][] = [['http', 'TCP', 80]];

// plugin/kubernetes/handler_test.go: the svcIndex/epsIndex fixtures of APIConnServeTest.
const COREDNS_SERVE = docs(
  namespaceDoc('testns'),
  svc('svc1', { clusterIPs: ['10.0.0.1'], ports: HTTP }),
  slice('svc1', 'svc1-slice1', [{ ip: '172.0.0.1', hostname: 'ep1a' }], HTTP),
  svc('svcempty', { clusterIPs: ['10.0.0.1'], ports: HTTP }),
  slice('svcempty', 'svcempty-slice1', [], HTTP),
  svc('svc6', { clusterIPs: ['1234:abcd::1'], ports: HTTP }),
  svc('hdls1', { clusterIPs: ['None'] }),
  slice('hdls1', 'hdls1-slice1', [{ ip: '172.0.0.2' }, { ip: '172.0.0.3' }, { ip: '172.0.0.4', hostname: 'dup-name' }, { ip: '172.0.0.5', hostname: 'dup-name' }], HTTP),
  slice('hdls1', 'hdls1-slice2', [{ ip: '5678:abcd::1' }, { ip: '5678:abcd::2' }], HTTP),
  svc('external', { type: 'ExternalName', externalName: 'ext.interwebs.test', ports: HTTP }),
  svc('external-to-service', { type: 'ExternalName', externalName: 'svc1.testns.svc.cluster.local.', ports: HTTP }),
  svc('hdlsprtls', { clusterIPs: ['None'] }),
  slice('hdlsprtls', 'hdlsprtls-slice1', [{ ip: '172.0.0.20' }]),
  svc('svc-dual-stack', { clusterIPs: ['10.0.0.3', '10::3'], ipFamilies: ['IPv4', 'IPv6'], ports: HTTP }),
);

// plugin/kubernetes/reverse_test.go: the fixtures of APIConnReverseTest.
const COREDNS_REVERSE = docs(
  namespaceDoc('testns'),
  svc('svc1', { clusterIPs: ['192.168.1.100'], ports: HTTP }),
  svc('svc2', { clusterIPs: ['None'], ports: HTTP }),
  slice('svc1', 'svc1-slice1', [{ ip: '10.0.0.100', hostname: 'ep1a' }, { ip: '10.0.0.99', hostname: 'double-ep' }], HTTP),
  slice('svc1', 'svc1-slice2', [{ ip: '1234:abcd::1', hostname: 'ep1b' }, { ip: 'fd00:77:30::a', hostname: 'ip6svc1ex' }, { ip: 'fd00:77:30::2:9ba6', hostname: 'ip6svc1in' }], HTTP),
  slice('svc1', 'svc1-ccccc', [{ ip: '10.0.0.100', hostname: 'ep1a' }], HTTP),
  slice('svc2', 'svc2-slice1', [{ ip: '10.0.0.99', hostname: 'double-ep' }], HTTP),
);

// docs/specification.md's examples: kubernetes.default (10.3.0.1 / 2001:db8::1) and a
// headless Service with three ready endpoints, one of them "my-pet".
const SPEC_V4 = docs(svc('kubernetes', { ns: 'default', clusterIPs: ['10.3.0.1'], ports: [['https', 'TCP', 443]] }));
const SPEC_V6 = docs(svc('kubernetes', { ns: 'default', clusterIPs: ['2001:db8::1'], ports: [['https', 'TCP', 443]] }));
const SPEC_HEADLESS = docs(
  svc('headless', { ns: 'default', clusterIPs: ['None'], ports: [['https', 'TCP', 443]] }),
  slice('headless', 'headless-v4', [{ ip: '10.3.0.1', hostname: 'my-pet-2' }, { ip: '10.3.0.2', hostname: '438934893' }, { ip: '10.3.0.100', hostname: 'my-pet' }, { ip: '10.3.0.3', ready: false }], [['https', 'TCP', 443]], 'default'),
);
const SPEC_HEADLESS_V6 = docs(
  svc('headless', { ns: 'default', clusterIPs: ['None'], ports: [['https', 'TCP', 443]] }),
  slice('headless', 'headless-v6', [{ ip: '2001:db8::1', hostname: 'my-pet' }, { ip: '2001:db8::2' }, { ip: '2001:db8::3' }], [['https', 'TCP', 443]], 'default'),
);

// website content/en/docs/concepts/services-networking/dns-pod-service.md: a Pod
// "busybox1" with hostname busybox-1 and subdomain busybox-subdomain, in a
// cluster whose domain is cluster-domain.example; the EndpointSlice the
// controller writes for it carries the hostname.
const DOCS_SUBDOMAIN = docs(
  namespaceDoc('my-namespace'),
  svc('busybox-subdomain', { ns: 'my-namespace', clusterIPs: ['None'], selector: { name: 'busybox' }, ports: [['foo', 'TCP', 1234]] }),
  slice('busybox-subdomain', 'busybox-subdomain-x1', [{ ip: '10.244.1.5', hostname: 'busybox-1' }, { ip: '10.244.2.7', hostname: 'busybox-2' }], [['foo', 'TCP', 1234]], 'my-namespace'),
);

// The same page's manifests themselves: the Service and the two Pods (exported with their
// status.podIP), no EndpointSlice: the endpoints are derived as the controller derives them.
const busybox = (name: string, hostname: string, ip: string) =>
  [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    '  namespace: my-namespace',
    '  labels:',
    '    name: busybox',
    'spec:',
    `  hostname: ${hostname}`,
    '  subdomain: busybox-subdomain',
    '  containers:',
    '  - image: busybox:1.28',
    '    name: busybox',
    'status:',
    '  phase: Running',
    `  podIP: ${ip}`,
    '  conditions:',
    '  - type: Ready',
    '    status: "True"',
  ].join('\n');
const DOCS_SUBDOMAIN_PODS = docs(
  namespaceDoc('my-namespace'),
  svc('busybox-subdomain', { ns: 'my-namespace', clusterIPs: ['None'], selector: { name: 'busybox' }, ports: [['foo', 'TCP', 1234]] }),
  busybox('busybox1', 'busybox-1', '10.244.1.5'),
  busybox('busybox2', 'busybox-2', '10.244.2.7'),
);

const SOA_ONLY: string[] = [];

export const DNS_CASES: DnsCase[] = [
  // ---------------------------------------------------------------- specification.md
  {
    source: 'kubernetes/dns docs/specification.md 2.2 (Record for Schema Version)',
    objects: SPEC_V4,
    question: { name: 'dns-version.cluster.local.', type: 'TXT' },
    rcode: 'NOERROR',
    answer: ['dns-version.cluster.local. 28800 IN TXT "1.1.0"'],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.3.1 (A record of a ClusterIP Service)',
    objects: SPEC_V4,
    question: { name: 'kubernetes.default.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['kubernetes.default.svc.cluster.local. 5 IN A 10.3.0.1'],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.3.1 (AAAA record of a ClusterIP Service)',
    objects: SPEC_V6,
    question: { name: 'kubernetes.default.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: ['kubernetes.default.svc.cluster.local. 5 IN AAAA 2001:db8::1'],
  },
  {
    // The specification leaves priority and weight open; CoreDNS writes 0 and 100 for one target.
    source: 'kubernetes/dns docs/specification.md 2.3.2 (SRV records of a ClusterIP Service)',
    objects: SPEC_V4,
    question: { name: '_https._tcp.kubernetes.default.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: ['_https._tcp.kubernetes.default.svc.cluster.local. 5 IN SRV 0 100 443 kubernetes.default.svc.cluster.local.'],
    additional: ['kubernetes.default.svc.cluster.local. 5 IN A 10.3.0.1'],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.3.3 (PTR record of an IPv4 ClusterIP)',
    objects: SPEC_V4,
    question: { name: '1.0.3.10.in-addr.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['1.0.3.10.in-addr.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.3.3 (PTR record of an IPv6 ClusterIP, nibbles reversed)',
    objects: SPEC_V6,
    question: { name: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 5 IN PTR kubernetes.default.svc.cluster.local.'],
  },
  {
    // The not-ready 10.3.0.3 is left out: only ready endpoints have records.
    source: 'kubernetes/dns docs/specification.md 2.4.1 (A records of a headless Service)',
    objects: SPEC_HEADLESS,
    question: { name: 'headless.default.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: [
      'headless.default.svc.cluster.local. 5 IN A 10.3.0.1',
      'headless.default.svc.cluster.local. 5 IN A 10.3.0.2',
      'headless.default.svc.cluster.local. 5 IN A 10.3.0.100',
    ],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.4.1 (A record of a headless endpoint with a hostname)',
    objects: SPEC_HEADLESS,
    question: { name: 'my-pet.headless.default.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['my-pet.headless.default.svc.cluster.local. 5 IN A 10.3.0.100'],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.4.1 (AAAA records of a headless Service)',
    objects: SPEC_HEADLESS_V6,
    question: { name: 'headless.default.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: [
      'headless.default.svc.cluster.local. 5 IN AAAA 2001:db8::1',
      'headless.default.svc.cluster.local. 5 IN AAAA 2001:db8::2',
      'headless.default.svc.cluster.local. 5 IN AAAA 2001:db8::3',
    ],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.4.1 (AAAA record of a headless endpoint with a hostname)',
    objects: SPEC_HEADLESS_V6,
    question: { name: 'my-pet.headless.default.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: ['my-pet.headless.default.svc.cluster.local. 5 IN AAAA 2001:db8::1'],
  },
  {
    // One SRV per ready endpoint and named port, pointing at the endpoint's own name; CoreDNS shares the weight (100/3).
    source: 'kubernetes/dns docs/specification.md 2.4.2 (SRV records of a headless Service)',
    objects: SPEC_HEADLESS,
    question: { name: '_https._tcp.headless.default.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: [
      '_https._tcp.headless.default.svc.cluster.local. 5 IN SRV 0 33 443 my-pet.headless.default.svc.cluster.local.',
      '_https._tcp.headless.default.svc.cluster.local. 5 IN SRV 0 33 443 my-pet-2.headless.default.svc.cluster.local.',
      '_https._tcp.headless.default.svc.cluster.local. 5 IN SRV 0 33 443 438934893.headless.default.svc.cluster.local.',
    ],
    additional: [
      'my-pet.headless.default.svc.cluster.local. 5 IN A 10.3.0.100',
      'my-pet-2.headless.default.svc.cluster.local. 5 IN A 10.3.0.1',
      '438934893.headless.default.svc.cluster.local. 5 IN A 10.3.0.2',
    ],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.4.3 (PTR record of a headless endpoint, IPv4)',
    objects: SPEC_HEADLESS,
    question: { name: '100.0.3.10.in-addr.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['100.0.3.10.in-addr.arpa. 5 IN PTR my-pet.headless.default.svc.cluster.local.'],
  },
  {
    source: 'kubernetes/dns docs/specification.md 2.4.3 (PTR record of a headless endpoint, IPv6)',
    objects: SPEC_HEADLESS_V6,
    question: { name: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa. 5 IN PTR my-pet.headless.default.svc.cluster.local.'],
  },
  {
    // The answer's second record (www.example.com's A) comes from the upstream resolvers, outside the cluster.
    source: 'kubernetes/dns docs/specification.md 2.5 (CNAME of an ExternalName Service)',
    objects: docs(svc('foo', { ns: 'default', type: 'ExternalName', externalName: 'www.example.com' })),
    question: { name: 'foo.default.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['foo.default.svc.cluster.local. 5 IN CNAME www.example.com.'],
  },

  // ---------------------------------------------------------------- CoreDNS handler_test.go (TestServeDNS)
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A Service"',
    objects: COREDNS_SERVE,
    question: { name: 'svc1.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['svc1.testns.svc.cluster.local.	5	IN	A	10.0.0.1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases (svcempty: a ClusterIP answers without endpoints)',
    objects: COREDNS_SERVE,
    question: { name: 'svcempty.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['svcempty.testns.svc.cluster.local.	5	IN	A	10.0.0.1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases (SRV on the Service name: every port)',
    objects: COREDNS_SERVE,
    question: { name: 'svc1.testns.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: ['svc1.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc1.testns.svc.cluster.local.'],
    additional: ['svc1.testns.svc.cluster.local.  5       IN      A       10.0.0.1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases (SRV of an IPv6 Service, AAAA additional)',
    objects: COREDNS_SERVE,
    question: { name: 'svc6.testns.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: ['svc6.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc6.testns.svc.cluster.local.'],
    additional: ['svc6.testns.svc.cluster.local.  5       IN      AAAA       1234:abcd::1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "SRV Service"',
    objects: COREDNS_SERVE,
    question: { name: '_http._tcp.svc1.testns.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc1.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc1.testns.svc.cluster.local.'],
    additional: ['svc1.testns.svc.cluster.local.	5	IN	A	10.0.0.1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A Service (Headless)"',
    objects: COREDNS_SERVE,
    question: { name: 'hdls1.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: [
      'hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.2',
      'hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.3',
      'hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.4',
      'hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.5',
    ],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A Service (Headless and Portless)"',
    objects: COREDNS_SERVE,
    question: { name: 'hdlsprtls.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['hdlsprtls.testns.svc.cluster.local.	5	IN	A	172.0.0.20'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "AAAA Service (with an existing A record, but no AAAA record)": NODATA',
    objects: COREDNS_SERVE,
    question: { name: 'svc1.testns.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: SOA_ONLY,
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A Service (non-existing service)"',
    objects: COREDNS_SERVE,
    question: { name: 'svc0.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A Service (non-existing namespace)"',
    objects: COREDNS_SERVE,
    question: { name: 'svc0.svc-nons.svc.cluster.local.', type: 'A' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A TXT record does not exist but another record for the same FQDN does": NODATA',
    objects: COREDNS_SERVE,
    question: { name: 'svc1.testns.svc.cluster.local.', type: 'TXT' },
    rcode: 'NOERROR',
    answer: SOA_ONLY,
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A Service (Headless) does not exist"',
    objects: COREDNS_SERVE,
    question: { name: 'bogusendpoint.hdls1.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A Service does not exist" (an endpoint of a missing Service)',
    objects: COREDNS_SERVE,
    question: { name: 'bogusendpoint.svc0.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "AAAA Service"',
    objects: COREDNS_SERVE,
    question: { name: 'svc6.testns.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: ['svc6.testns.svc.cluster.local.	5	IN	AAAA	1234:abcd::1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "AAAA Service (Headless)"',
    objects: COREDNS_SERVE,
    question: { name: 'hdls1.testns.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: ['hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::1', 'hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::2'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases (svc.cluster.local.: the apex of the Services, NODATA)',
    objects: COREDNS_SERVE,
    question: { name: 'svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: SOA_ONLY,
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases (testns.svc.cluster.local.: a namespace, NODATA)',
    objects: COREDNS_SERVE,
    question: { name: 'testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: SOA_ONLY,
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "Dual Stack ClusterIP Services" (A)',
    objects: COREDNS_SERVE,
    question: { name: 'svc-dual-stack.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.cluster.local.	5	IN	A	10.0.0.3'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "Dual Stack ClusterIP Services" (AAAA)',
    objects: COREDNS_SERVE,
    question: { name: 'svc-dual-stack.testns.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.cluster.local.	5	IN	AAAA	10::3'],
  },
  {
    // One SRV for the two ClusterIPs, each counted in the weight (50), both addresses additional.
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "Dual Stack ClusterIP Services" (SRV)',
    objects: COREDNS_SERVE,
    question: { name: 'svc-dual-stack.testns.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: ['svc-dual-stack.testns.svc.cluster.local.	5	IN	SRV	0 50 80 svc-dual-stack.testns.svc.cluster.local.'],
    additional: ['svc-dual-stack.testns.svc.cluster.local.  5       IN      A       10.0.0.3', 'svc-dual-stack.testns.svc.cluster.local.  5       IN      AAAA       10::3'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A query for a subdomain of an external service should not resolve to the external service"',
    objects: COREDNS_SERVE,
    question: { name: 'endpoint.external.testns.svc.cluster.local.', type: 'CNAME' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A query for a subdomain of a subdomain of an external service ..."',
    objects: COREDNS_SERVE,
    question: { name: 'subdomain.subdomain.external.testns.svc.cluster.local.', type: 'CNAME' },
    rcode: 'NXDOMAIN',
  },
  {
    // Six answers (dup-name has two addresses) share the weight: floor(100/6) = 16; dup-name's SRV is written once.
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "SRV Service (Headless)"',
    objects: COREDNS_SERVE,
    question: { name: '_http._tcp.hdls1.testns.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: [
      '_http._tcp.hdls1.testns.svc.cluster.local.	5	IN	SRV	0 16 80 172-0-0-2.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local.	5	IN	SRV	0 16 80 172-0-0-3.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local.	5	IN	SRV	0 16 80 5678-abcd--1.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local.	5	IN	SRV	0 16 80 5678-abcd--2.hdls1.testns.svc.cluster.local.',
      '_http._tcp.hdls1.testns.svc.cluster.local.	5	IN	SRV	0 16 80 dup-name.hdls1.testns.svc.cluster.local.',
    ],
    additional: [
      '172-0-0-2.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.2',
      '172-0-0-3.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.3',
      '5678-abcd--1.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::1',
      '5678-abcd--2.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::2',
      'dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.4',
      'dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.5',
    ],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "AAAA" (an IPv6 endpoint by its dashed name)',
    objects: COREDNS_SERVE,
    question: { name: '5678-abcd--2.hdls1.testns.svc.cluster.local', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: ['5678-abcd--2.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::2'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "An Endpoint with no port"',
    objects: COREDNS_SERVE,
    question: { name: '172-0-0-20.hdlsprtls.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['172-0-0-20.hdlsprtls.testns.svc.cluster.local.	5	IN	A	172.0.0.20'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "An Endpoint ip"',
    objects: COREDNS_SERVE,
    question: { name: '172-0-0-2.hdls1.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['172-0-0-2.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.2'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "An Endpoint by name" (two addresses, one hostname)',
    objects: COREDNS_SERVE,
    question: { name: 'dup-name.hdls1.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.4', 'dup-name.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.5'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "CNAME External"',
    objects: COREDNS_SERVE,
    question: { name: 'external.testns.svc.cluster.local.', type: 'CNAME' },
    rcode: 'NOERROR',
    answer: ['external.testns.svc.cluster.local.	5	IN	CNAME	ext.interwebs.test.'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "CNAME External To Internal Service" (followed inside the zone)',
    objects: COREDNS_SERVE,
    question: { name: 'external-to-service.testns.svc.cluster.local', type: 'A' },
    rcode: 'NOERROR',
    answer: ['external-to-service.testns.svc.cluster.local.	5	IN	CNAME	svc1.testns.svc.cluster.local.', 'svc1.testns.svc.cluster.local.	5	IN	A	10.0.0.1'],
  },
  {
    // A ClusterIP Service answers its endpoints' own names too (the plugin takes the endpoint branch for them).
    source: 'coredns plugin/kubernetes/kubernetes.go findServices (r.endpoint on a ClusterIP Service), fixture of handler_test.go',
    objects: COREDNS_SERVE,
    question: { name: 'ep1a.svc1.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['ep1a.svc1.testns.svc.cluster.local. 5 IN A 172.0.0.1'],
  },

  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "AAAA Service (non-existing service)"',
    objects: COREDNS_SERVE,
    question: { name: 'svc0.testns.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "A TXT record does not exist and neither does another record for the same FQDN"',
    objects: COREDNS_SERVE,
    question: { name: 'svc0.svc-nons.svc.cluster.local.', type: 'TXT' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go commonDnsTestCases "SRV" (_http._tcp of an IPv6 Service)',
    objects: COREDNS_SERVE,
    question: { name: '_http._tcp.svc6.testns.svc.cluster.local.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: ['_http._tcp.svc6.testns.svc.cluster.local.	5	IN	SRV	0 100 80 svc6.testns.svc.cluster.local.'],
    additional: ['svc6.testns.svc.cluster.local.	5	IN	AAAA	1234:abcd::1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "AAAA Endpoint"',
    objects: COREDNS_SERVE,
    question: { name: '5678-abcd--1.hdls1.testns.svc.cluster.local.', type: 'AAAA' },
    rcode: 'NOERROR',
    answer: ['5678-abcd--1.hdls1.testns.svc.cluster.local.	5	IN	AAAA	5678:abcd::1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_test.go dnsTestCases "A Endpoint ip"',
    objects: COREDNS_SERVE,
    question: { name: '172-0-0-3.hdls1.testns.svc.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['172-0-0-3.hdls1.testns.svc.cluster.local.	5	IN	A	172.0.0.3'],
  },

  // ---------------------------------------------------------------- CoreDNS handler_case_test.go (TestPreserveCase)
  {
    source: 'coredns plugin/kubernetes/handler_case_test.go dnsPreserveCaseCases "Negative response"',
    objects: COREDNS_SERVE,
    question: { name: 'not-a-service.testns.svc.ClUsTeR.lOcAl.', type: 'A' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_case_test.go dnsPreserveCaseCases "A Service"',
    objects: COREDNS_SERVE,
    question: { name: 'SvC1.TeStNs.SvC.cLuStEr.LoCaL.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['SvC1.TeStNs.SvC.cLuStEr.LoCaL.	5	IN	A	10.0.0.1'],
  },
  {
    // The owner keeps the question's case; the target is the Service's own name under the zone as asked.
    source: 'coredns plugin/kubernetes/handler_case_test.go dnsPreserveCaseCases "SRV Service"',
    objects: COREDNS_SERVE,
    question: { name: '_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: ['_HtTp._TcP.sVc1.TeStNs.SvC.cLuStEr.LoCaL.	5	IN	SRV	0 100 80 svc1.testns.svc.cLuStEr.LoCaL.'],
    additional: ['svc1.testns.svc.cLuStEr.LoCaL.	5	IN	A	10.0.0.1'],
  },

  // ---------------------------------------------------------------- CoreDNS handler_pod_insecure_test.go
  {
    source: 'coredns plugin/kubernetes/handler_pod_insecure_test.go podModeInsecureCases (10-240-0-1.podns.pod)',
    objects: docs(namespaceDoc('podns')),
    question: { name: '10-240-0-1.podns.pod.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['10-240-0-1.podns.pod.cluster.local.	5	IN	A	10.240.0.1'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_pod_insecure_test.go podModeInsecureCases (blah.podns.pod: not an address)',
    objects: docs(namespaceDoc('podns')),
    question: { name: 'blah.podns.pod.cluster.local.', type: 'A' },
    rcode: 'NXDOMAIN',
  },

  {
    source: 'coredns plugin/kubernetes/handler_pod_insecure_test.go podModeInsecureCases (172-0-0-2.podns.pod)',
    objects: docs(namespaceDoc('podns')),
    question: { name: '172-0-0-2.podns.pod.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['172-0-0-2.podns.pod.cluster.local.	5	IN	A	172.0.0.2'],
  },
  {
    source: 'coredns plugin/kubernetes/handler_pod_insecure_test.go podModeInsecureCases (blah.podns.pod AAAA)',
    objects: docs(namespaceDoc('podns')),
    question: { name: 'blah.podns.pod.cluster.local.', type: 'AAAA' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_pod_insecure_test.go podModeInsecureCases (a namespace that does not exist)',
    objects: docs(namespaceDoc('podns')),
    question: { name: 'blah.pod-nons.pod.cluster.local.', type: 'A' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/handler_pod_insecure_test.go podModeInsecureCases (podns.pod.cluster.local.: NODATA)',
    objects: docs(namespaceDoc('podns')),
    question: { name: 'podns.pod.cluster.local.', type: 'A' },
    rcode: 'NOERROR',
    answer: SOA_ONLY,
  },

  // ---------------------------------------------------------------- CoreDNS reverse_test.go (TestReverse)
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (an endpoint address; one PTR though two slices list it)',
    objects: COREDNS_REVERSE,
    question: { name: '100.0.0.10.in-addr.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['100.0.0.10.in-addr.arpa.      5    IN      PTR       ep1a.svc1.testns.svc.cluster.local.'],
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (a ClusterIP)',
    objects: COREDNS_REVERSE,
    question: { name: '100.1.168.192.in-addr.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['100.1.168.192.in-addr.arpa.     5     IN      PTR       svc1.testns.svc.cluster.local.'],
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (an IPv6 endpoint, ip6.arpa)',
    objects: COREDNS_REVERSE,
    question: { name: '1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.c.b.a.4.3.2.1.ip6.arpa. 5 IN PTR ep1b.svc1.testns.svc.cluster.local.'],
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (fd00:77:30::2:9ba6)',
    objects: COREDNS_REVERSE,
    question: { name: '6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['6.a.b.9.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ip6svc1in.svc1.testns.svc.cluster.local.'],
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (fd00:77:30::a)',
    objects: COREDNS_REVERSE,
    question: { name: 'a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.7.7.0.0.0.0.d.f.ip6.arpa. 5 IN PTR ip6svc1ex.svc1.testns.svc.cluster.local.'],
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (example.org.cluster.local.: not a Kubernetes name)',
    objects: COREDNS_REVERSE,
    question: { name: 'example.org.cluster.local.', type: 'PTR' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (100.0.0.10.cluster.local.: an address under the forward zone)',
    objects: COREDNS_REVERSE,
    question: { name: '100.0.0.10.cluster.local.', type: 'PTR' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (an address nobody has: NXDOMAIN)',
    objects: COREDNS_REVERSE,
    question: { name: '101.0.0.10.in-addr.arpa.', type: 'PTR' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (a PTR question on a Service name: NODATA)',
    objects: COREDNS_REVERSE,
    question: { name: 'svc1.testns.svc.cluster.local.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: SOA_ONLY,
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (an incomplete reverse name: NXDOMAIN)',
    objects: COREDNS_REVERSE,
    question: { name: 'svc1.testns.svc.0.10.in-addr.arpa.', type: 'A' },
    rcode: 'NXDOMAIN',
  },
  {
    source: 'coredns plugin/kubernetes/reverse_test.go TestReverse (an address used by two Services: two PTRs)',
    objects: COREDNS_REVERSE,
    question: { name: '99.0.0.10.in-addr.arpa.', type: 'PTR' },
    rcode: 'NOERROR',
    answer: ['99.0.0.10.in-addr.arpa.      5    IN      PTR       double-ep.svc1.testns.svc.cluster.local.', '99.0.0.10.in-addr.arpa.      5    IN      PTR       double-ep.svc2.testns.svc.cluster.local.'],
  },

  // ---------------------------------------------------------------- the search path (dns-pod-service.md)
  {
    // "A DNS query may return different results based on the namespace of the Pod making it": a short
    // name is looked up in the Pod's own namespace first (search <ns>.svc.<zone> ..., ndots:5).
    source: 'website docs/concepts/services-networking/dns-pod-service.md "Namespaces of Services" (short name, same namespace)',
    objects: COREDNS_SERVE,
    question: { name: 'svc1', type: 'A', fromNamespace: 'testns' },
    answeredBy: 'svc1.testns.svc.cluster.local.',
    rcode: 'NOERROR',
    answer: ['svc1.testns.svc.cluster.local. 5 IN A 10.0.0.1'],
  },
  {
    // "Queries that don't specify a namespace are limited to the Pod's namespace": from "test",
    // "data" does not find prod's Service; every search domain and the name itself fail.
    source: 'website docs/concepts/services-networking/dns-pod-service.md "Namespaces of Services" (short name, other namespace)',
    objects: docs(namespaceDoc('test'), namespaceDoc('prod'), svc('data', { ns: 'prod', clusterIPs: ['10.96.7.7'], ports: HTTP })),
    question: { name: 'data', type: 'A', fromNamespace: 'test' },
    rcode: 'NXDOMAIN',
    upstream: true,
  },
  {
    // "To access Services in other namespaces, specify it in the DNS query": data.prod, found at
    // the second search domain (data.prod.test.svc.cluster.local. is NXDOMAIN first).
    source: 'website docs/concepts/services-networking/dns-pod-service.md "Namespaces of Services" (data.prod from test)',
    objects: docs(namespaceDoc('test'), namespaceDoc('prod'), svc('data', { ns: 'prod', clusterIPs: ['10.96.7.7'], ports: HTTP })),
    question: { name: 'data.prod', type: 'A', fromNamespace: 'test' },
    answeredBy: 'data.prod.svc.cluster.local.',
    rcode: 'NOERROR',
    answer: ['data.prod.svc.cluster.local. 5 IN A 10.96.7.7'],
  },
  {
    // A Pod with hostname busybox-1 and subdomain busybox-subdomain, in a cluster with domain
    // cluster-domain.example, is busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example.
    source: 'website docs/concepts/services-networking/dns-pod-service.md "Pod\'s hostname and subdomain fields"',
    objects: DOCS_SUBDOMAIN,
    zone: 'cluster-domain.example',
    question: { name: 'busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example', type: 'A' },
    rcode: 'NOERROR',
    answer: ['busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN A 10.244.1.5'],
  },
  {
    // The same Pod's name, short, from its own namespace: the first search domain answers.
    source: 'website docs/concepts/services-networking/dns-pod-service.md "Pod\'s hostname and subdomain fields" (from the Pod\'s namespace)',
    objects: DOCS_SUBDOMAIN,
    zone: 'cluster-domain.example',
    question: { name: 'busybox-2.busybox-subdomain', type: 'A', fromNamespace: 'my-namespace' },
    answeredBy: 'busybox-2.busybox-subdomain.my-namespace.svc.cluster-domain.example.',
    rcode: 'NOERROR',
    answer: ['busybox-2.busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN A 10.244.2.7'],
  },
  {
    // From the Pod manifests: the hostname counts because spec.subdomain names the Service.
    source: 'website docs/concepts/services-networking/dns-pod-service.md "Pod\'s hostname and subdomain fields" (from the Pods themselves)',
    objects: DOCS_SUBDOMAIN_PODS,
    zone: 'cluster-domain.example',
    question: { name: 'busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN A 10.244.1.5'],
  },
  {
    source: 'website docs/concepts/services-networking/dns-pod-service.md "Pod\'s hostname and subdomain fields" (the headless Service: both Pods)',
    objects: DOCS_SUBDOMAIN_PODS,
    zone: 'cluster-domain.example',
    question: { name: 'busybox-subdomain.my-namespace.svc.cluster-domain.example.', type: 'A' },
    rcode: 'NOERROR',
    answer: ['busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN A 10.244.1.5', 'busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN A 10.244.2.7'],
  },
  {
    // The SRV of the headless Service's named port points at each Pod's own name.
    source: 'website docs/concepts/services-networking/dns-pod-service.md "SRV records" (headless: one per Pod, its hostname)',
    objects: DOCS_SUBDOMAIN,
    zone: 'cluster-domain.example',
    question: { name: '_foo._tcp.busybox-subdomain.my-namespace.svc.cluster-domain.example.', type: 'SRV' },
    rcode: 'NOERROR',
    answer: [
      '_foo._tcp.busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN SRV 0 50 1234 busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example.',
      '_foo._tcp.busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN SRV 0 50 1234 busybox-2.busybox-subdomain.my-namespace.svc.cluster-domain.example.',
    ],
    additional: [
      'busybox-1.busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN A 10.244.1.5',
      'busybox-2.busybox-subdomain.my-namespace.svc.cluster-domain.example. 5 IN A 10.244.2.7',
    ],
  },
];
