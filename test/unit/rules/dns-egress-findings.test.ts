// What a user reads for egress that blocks name lookups, on a small fixture:
// an ingress-only policy next to the egress ones (named nowhere), a deny-all
// beside a policy that reaches out (still reported), a deny-all alone (meant
// to talk to nobody), rules naming the DNS ports by name (left alone),
// dnsPolicy ClusterFirstWithHostNet (uses the cluster DNS) and the cluster DNS
// Pods themselves (not their own clients); all of TCP allowed but no UDP
// (only UDP/53 named); a rule naming the DNS port in one of two policies.
import assert from 'node:assert/strict';
import { seen } from './seen';

const DNS_EGRESS = `apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
spec:
  clusterIP: 10.96.0.10
  selector:
    k8s-app: kube-dns
  ports:
    - name: dns
      port: 53
      protocol: UDP
    - name: dns-tcp
      port: 53
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      containers:
        - name: main
          image: coredns
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: dns-out
  namespace: kube-system
spec:
  podSelector:
    matchLabels:
      k8s-app: kube-dns
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 443
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: d
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      dnsPolicy: ClusterFirstWithHostNet
      containers:
        - name: main
          image: web
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: locked
  namespace: d
spec:
  selector:
    matchLabels:
      app: locked
  template:
    metadata:
      labels:
        app: locked
    spec:
      containers:
        - name: main
          image: locked
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: named
  namespace: d
spec:
  selector:
    matchLabels:
      app: named
  template:
    metadata:
      labels:
        app: named
    spec:
      containers:
        - name: main
          image: named
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: named2
  namespace: d
spec:
  selector:
    matchLabels:
      app: named2
  template:
    metadata:
      labels:
        app: named2
    spec:
      containers:
        - name: main
          image: named2
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-in
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]

---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-out
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 443
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-deny
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Egress]

---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: locked-out
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: locked
  policyTypes: [Egress]

---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: named-out
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: named
  policyTypes: [Egress]
  egress:
    - ports:
        - port: dns-tcp
          protocol: TCP
    - ports:
        - port: 443
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: named2-out
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: named2
  policyTypes: [Egress]
  egress:
    - ports:
        - port: dns
          protocol: UDP
    - ports:
        - port: 443
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tcp-only
  namespace: d
spec:
  selector:
    matchLabels:
      app: tcp-only
  template:
    metadata:
      labels:
        app: tcp-only
    spec:
      containers:
        - name: main
          image: tcp-only
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: tcp-only-out
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: tcp-only
  policyTypes: [Egress]
  egress:
    - ports:
        - protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: named2-web
  namespace: d
spec:
  podSelector:
    matchLabels:
      app: named2
  policyTypes: [Egress]
  egress:
    - ports:
        - port: 8443
`;

describe('what a user reads: egress that blocks the cluster DNS', () => {
  it("every finding, in order, as shown", () => {
    assert.deepEqual(seen(DNS_EGRESS), [
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "11 name: dns",
        message: "port 53 (no targetPort, so the same number) of Service kube-system/kube-dns is not declared by any container of Deployment kube-system/coredns (it declares no ports). Traffic is still sent to 53; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "32 name: main: Deployment kube-system/coredns declares no ports"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "14 name: dns-tcp",
        message: "port 53 (no targetPort, so the same number) of Service kube-system/kube-dns is not declared by any container of Deployment kube-system/coredns (it declares no ports). Traffic is still sent to 53; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "32 name: main: Deployment kube-system/coredns declares no ports"
        ]
      },
      {
        rule: "networkpolicy-egress-blocks-dns",
        severity: "warning",
        at: "52 web",
        message: "Deployment d/web is isolated for egress by NetworkPolicy d/web-out and NetworkPolicy d/web-deny, and no rule allows UDP/53 or TCP/53 to the cluster DNS (kube-system/Deployment/coredns): every name lookup fails, so it can reach its destinations by address only. Add an egress rule to namespace kube-system, Pods k8s-app=kube-dns, on UDP and TCP port 53.",
        related: [
          "137 web-out: NetworkPolicy d/web-out isolates its egress",
          "151 web-deny: NetworkPolicy d/web-deny isolates its egress"
        ]
      },
      {
        rule: "networkpolicy-egress-blocks-dns",
        severity: "warning",
        at: "209 tcp-only",
        message: "Deployment d/tcp-only is isolated for egress by NetworkPolicy d/tcp-only-out, and no rule allows UDP/53 to the cluster DNS (kube-system/Deployment/coredns): every name lookup fails, so it can reach its destinations by address only. Add an egress rule to namespace kube-system, Pods k8s-app=kube-dns, on UDP and TCP port 53.",
        related: [
          "227 tcp-only-out: NetworkPolicy d/tcp-only-out isolates its egress"
        ]
      }
    ]);
  });
});
