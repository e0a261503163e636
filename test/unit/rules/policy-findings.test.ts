// What a user reads for Services behind NetworkPolicies and for policy peers
// on a small fixture: which rule admits which Service port (a port of the
// other protocol, a range below the port, a named port resolved by name and
// protocol on the Pods, a port-less UDP entry after a port that does not
// match), an egress-only policy that isolates nothing for ingress, a Service
// with a hostNetwork backend (reachable: NetworkPolicy leaves those Pods to the
// network plugin), an ExternalName Service's ignored selector, and peers that
// are not judged (an empty podSelector, a namespaceSelector by labels only).
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { emptyConfig } from '../../../src/core/config/types';
import { seen } from './seen';

const SERVICES_BEHIND_POLICIES = `apiVersion: v1
kind: Namespace
metadata:
  name: p
---
apiVersion: v1
kind: Namespace
metadata:
  name: q
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: p
spec:
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
        - name: main
          image: api
          ports:
            - name: http
              containerPort: 8080
            - name: metrics
              containerPort: 9090
            - name: dns
              containerPort: 53
              protocol: UDP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: edge
  namespace: p
spec:
  selector:
    matchLabels:
      app: edge
  template:
    metadata:
      labels:
        app: edge
        role: edge
    spec:
      containers:
        - name: main
          image: edge
          ports:
            - containerPort: 8443
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: p
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
        role: edge
    spec:
      hostNetwork: true
      containers:
        - name: main
          image: agent
          ports:
            - containerPort: 8443
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: p
spec:
  selector:
    app: api
  ports:
    - name: web
      port: 80
      targetPort: http
    - name: metrics
      port: 9090
    - name: dns-tcp
      port: 53
    - name: dns
      port: 53
      protocol: UDP
---
apiVersion: v1
kind: Service
metadata:
  name: alias
  namespace: p
spec:
  type: ExternalName
  externalName: api.example.org
  selector:
    app: api
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: edge-and-agent
  namespace: p
spec:
  selector:
    role: edge
  ports:
    - port: 443
      targetPort: 8443
---
apiVersion: v1
kind: Service
metadata:
  name: edge
  namespace: p
spec:
  selector:
    app: edge
  ports:
    - port: 443
      targetPort: 8443
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-in
  namespace: p
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Ingress]
  ingress:
    - ports:
        - protocol: UDP
          port: 9090
    - ports:
        - port: 7000
          endPort: 8079
    - ports:
        - port: metrics
    - ports:
        - port: dns
    - ports:
        - port: 1
        - protocol: UDP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api-out
  namespace: p
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Egress]
  egress:
    - {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: edge-in
  namespace: p
spec:
  podSelector:
    matchLabels:
      role: edge
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: peers
  namespace: q
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - podSelector: {}
        - namespaceSelector:
            matchLabels:
              team: payments
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: nowhere
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: p
          podSelector:
            matchLabels:
              app: nope
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: p
`;

describe('what a user reads: Services behind NetworkPolicies, policy ports and peers', () => {
  it("every finding, in order, as shown", () => {
    assert.deepEqual(seen(SERVICES_BEHIND_POLICIES), [
      {
        rule: "service-blocked-by-policy",
        severity: "error",
        at: "89 name: web",
        message: "Service p/api port 80 can never be reached: its Pods (Deployment p/api) are isolated for ingress by NetworkPolicy p/api-in, and no ingress rule admits any peer on target port http (8080)/TCP. Add an ingress rule allowing that port.",
        related: [
          "140 api-in: NetworkPolicy p/api-in isolates the Pods"
        ]
      },
      {
        rule: "service-blocked-by-policy",
        severity: "error",
        at: "94 name: dns-tcp",
        message: "Service p/api port 53 can never be reached: its Pods (Deployment p/api) are isolated for ingress by NetworkPolicy p/api-in, and no ingress rule admits any peer on target port 53/TCP. Add an ingress rule allowing that port.",
        related: [
          "140 api-in: NetworkPolicy p/api-in isolates the Pods"
        ]
      },
      {
        rule: "service-protocol-mismatch",
        severity: "warning",
        at: "94 name: dns-tcp",
        message: "Service p/api port 53 (dns-tcp) is TCP, but container port 53 of Deployment p/api is UDP. Set the same protocol on both.",
        related: [
          "33 name: dns: container port 53/UDP"
        ]
      },
      {
        rule: "service-selects-many-workloads",
        severity: "info",
        at: "120 role: edge",
        message: "Selector role=edge of Service p/edge-and-agent matches the pods of 2 workloads: Deployment p/edge and DaemonSet p/agent. If only one should receive its traffic, add a label that tells them apart.",
        related: [
          "49 app: edge: Deployment p/edge is selected",
          "70 app: agent: DaemonSet p/agent is selected"
        ]
      },
      {
        rule: "service-blocked-by-policy",
        severity: "error",
        at: "134 port: 443",
        message: "Service p/edge port 443 can never be reached: its Pods (Deployment p/edge) are isolated for ingress by NetworkPolicy p/edge-in, and no ingress rule admits any peer on target port 8443/TCP. Add an ingress rule allowing that port.",
        related: [
          "178 edge-in: NetworkPolicy p/edge-in isolates the Pods"
        ]
      },
      {
        rule: "networkpolicy-port-missing",
        severity: "warning",
        at: "149 protocol: UDP",
        message: "NetworkPolicy p/api-in allows ingress on port 9090/UDP, which none of the Pods it selects declares (Deployment p/api: 8080 (http), 9090 (metrics), 53/UDP (dns)). Fix the port, or declare it on the containers."
      },
      {
        rule: "networkpolicy-port-missing",
        severity: "warning",
        at: "152 port: 7000",
        message: "NetworkPolicy p/api-in allows ingress on ports 7000-8079/TCP, which none of the Pods it selects declares (Deployment p/api: 8080 (http), 9090 (metrics), 53/UDP (dns)). Fix the port, or declare it on the containers."
      },
      {
        rule: "networkpolicy-port-missing",
        severity: "warning",
        at: "157 port: dns",
        message: "NetworkPolicy p/api-in allows ingress on port \"dns\"/TCP, which none of the Pods it selects declares (Deployment p/api: 8080 (http), 9090 (metrics), 53/UDP (dns)). Fix the port, or declare it on the containers."
      },
      {
        rule: "networkpolicy-port-missing",
        severity: "warning",
        at: "159 port: 1",
        message: "NetworkPolicy p/api-in allows ingress on port 1/TCP, which none of the Pods it selects declares (Deployment p/api: 8080 (http), 9090 (metrics), 53/UDP (dns)). Fix the port, or declare it on the containers."
      },
      {
        rule: "networkpolicy-peer-selects-nothing",
        severity: "warning",
        at: "209 matchLabels:",
        message: "The to peer podSelector app=nope of NetworkPolicy q/peers matches no workload in namespace p (chosen by its namespaceSelector), so it allows nothing. Fix the labels or the namespaceSelector."
      }
    ]);
  });

  it('pod-not-isolated, when turned on, names each workload no policy selects, hostNetwork ones apart', () => {
    const a = new Analysis({ config: { ...emptyConfig(), rules: { 'pod-not-isolated': 'info' } } });
    const text = SERVICES_BEHIND_POLICIES.replace('app: api\n  policyTypes: [Ingress]', 'app: nothing\n  policyTypes: [Ingress]').replace('role: edge\n  policyTypes: [Ingress]', 'app: nothing\n  policyTypes: [Ingress]');
    a.setFile('app.yaml', text);
    assert.deepEqual(
      seen(text, a.findings().filter((f) => f.rule === 'pod-not-isolated')),
      [
        {
          rule: 'pod-not-isolated',
          severity: 'info',
          at: '40 edge',
          message: 'No NetworkPolicy selects the Pods of Deployment p/edge, so all traffic to and from them is allowed. Add a policy that selects them (a default-deny policy in namespace p is a good start).',
        },
      ],
    );
  });

  it('a configured severity wins over the catalogue\'s, and "off" leaves none of the rule\'s findings', () => {
    const lint = (rules: Record<string, string>) => {
      const a = new Analysis({ config: { ...emptyConfig(), rules: rules as never } });
      a.setFile('app.yaml', SERVICES_BEHIND_POLICIES);
      return a.findings().map((f) => `${f.rule} ${f.severity}`);
    };
    const all = lint({});
    assert.equal(all.filter((f) => f === 'service-blocked-by-policy error').length, 3);
    const changed = lint({ 'service-blocked-by-policy': 'info', 'service-protocol-mismatch': 'off' });
    assert.equal(changed.filter((f) => f === 'service-blocked-by-policy info').length, 3);
    assert.deepEqual(changed.filter((f) => !f.startsWith('service-blocked-by-policy')), all.filter((f) => !f.startsWith('service-blocked-by-policy') && !f.startsWith('service-protocol-mismatch')));
  });
});
