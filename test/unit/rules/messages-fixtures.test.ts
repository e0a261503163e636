// What a user reads for each rule on small fixtures: every finding's rule,
// severity, line and underlined text, exact message, related locations and
// fixes, and what a preferred fix leaves in the file. A changed word, a
// location pointing elsewhere or a fix that edits the wrong text fails here.
import assert from 'node:assert/strict';
import { findingsOf, fixed, seen } from './seen';

const WORKLOADS_AND_SERVICES = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: app
spec:
  selector:
    matchLabels:
      app: api
      tier: back
  template:
    metadata:
      labels:
        app: api
        tier: web
    spec:
      containers:
        - name: main
          ports:
            - name: http
              containerPort: 8080
            - name: Bad_Name
              containerPort: 70000
            - name: http
              containerPort: 8081
          livenessProbe:
            tcpSocket:
              port: 9999
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: app
spec:
  type: ClusterIP
  externalTrafficPolicy: Local
  selector:
    app: api
  ports:
    - port: 80
      targetPort: "8080"
    - port: 81
      targetPort: 9090
      nodePort: 80
    - name: a
      port: 82
      targetPort: 8080
      protocol: UDP
    - name: a
      port: 0
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: solo
  namespace: app
spec:
  selector:
    matchLabels:
      app: solo
  template:
    metadata:
      labels:
        app: solo
    spec:
      containers:
        - name: main
          ports:
            - name: web
              containerPort: 3000
---
apiVersion: v1
kind: Service
metadata:
  name: solo
  namespace: app
spec:
  selector:
    app: solo
  ports:
    - port: 80
      targetPort: 3001
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: app
spec:
  serviceName: db-hl
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
        - name: db
          ports:
            - containerPort: 5432
---
apiVersion: v1
kind: Service
metadata:
  name: db-headless
  namespace: app
spec:
  clusterIP: None
  selector:
    app: db
  ports:
    - port: 5432
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cache
  namespace: app
spec:
  serviceName: cache
  selector:
    matchLabels:
      app: cache
  template:
    metadata:
      labels:
        app: cache
    spec:
      containers:
        - name: c
---
apiVersion: v1
kind: Service
metadata:
  name: cache
  namespace: app
spec:
  selector:
    app: cache
  ports:
    - port: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: manual
  namespace: app
spec:
  ports:
    - port: 80
`;

const INGRESSES = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: traefik.io/ingress-controller
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: site
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site
  namespace: site
spec:
  ingressClassName: haproxy
  tls:
    - hosts:
        - www.example.org
      secretName: site-tls
  rules:
    - host: example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: wbe
                port:
                  number: 80
          - path: /app
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: https
          - path: /dup
            pathType: Exact
            backend:
              service:
                name: web
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: site-copy
  namespace: site
spec:
  ingressClassName: haproxy
  rules:
    - host: example.org
      http:
        paths:
          - path: /dup
            pathType: Exact
            backend:
              service:
                name: web
                port:
                  number: 80
`;

const POLICIES_AND_ROUTES = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    team: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
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
        - name: api
          ports:
            - containerPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: frontnd
        - namespaceSelector:
            matchLabels:
              team: shpo
        - namespaceSelector:
            matchLabels:
              team: shop
          podSelector:
            matchLabels:
              role: gateway
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: workers
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: worker
  policyTypes: [Ingress]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: shop
spec:
  rules:
    - backendRefs:
        - name: api
          namespace: other
          port: 80
          weight: 0
    - backendRefs:
        - name: missing
          port: 80
`;

const CLASSES_AND_PORTS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: site
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          ports:
            - name: http
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: site
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: one
  namespace: site
spec:
  ingressClassName: ngnix
  tls:
    - hosts:
        - "*.example.org"
        - shop.example.org
  rules:
    - host: www.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 8080
    - http:
        paths:
          - pathType: Prefix
            backend:
              service:
                name: web
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: two
  namespace: site
spec:
  rules:
    - host: www.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: three
  namespace: site
spec:
  ingressClassName: nginx
  rules:
    - host: www.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
`;

const GATEWAY_ROUTES = `apiVersion: v1
kind: Namespace
metadata:
  name: infra
---
apiVersion: v1
kind: Namespace
metadata:
  name: apps
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
    - name: http
      protocol: HTTP
      port: 80
    - name: tls
      protocol: TLS
      port: 443
      tls:
        mode: Passthrough
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: infra
spec:
  selector:
    app: api
  ports:
    - port: 80
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: wrong-section
  namespace: infra
spec:
  parentRefs:
    - name: gw
      sectionName: https
  rules:
    - backendRefs:
        - name: api
          port: 80
          weight: 0
        - name: api
          port: 80
          weight: 0
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: other-ns
  namespace: apps
spec:
  parentRefs:
    - name: gw
      namespace: infra
  rules:
    - filters:
        - type: RequestMirror
          requestMirror:
            backendRef:
              name: api
              namespace: infra
              port: 80
      backendRefs:
        - name: api
          namespace: infra
          port: 80
`;

const PEERS_AND_PORTS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Namespace
metadata:
  name: billing
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
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
        - name: api
          ports:
            - name: http
              containerPort: 8080
            - name: dns
              containerPort: 5353
              protocol: UDP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ledger
  namespace: billing
spec:
  selector:
    matchLabels:
      app: ledger
  template:
    metadata:
      labels:
        app: ledger
    spec:
      containers:
        - name: ledger
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: billng
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: billing
          podSelector:
            matchLabels:
              app: ledgr
      ports:
        - port: grpc
        - port: dns
          protocol: TCP
        - port: 9000
          endPort: 9100
        - port: http
        - port: 5353
          protocol: UDP
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: nope
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: billing
          podSelector:
            matchLabels:
              app: ledger
    - ports:
        - port: 53
          protocol: UDP
`;

const DNS_EGRESS = `apiVersion: v1
kind: Namespace
metadata:
  name: kube-system
  labels:
    kubernetes.io/metadata.name: kube-system
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
        - name: coredns
          ports:
            - name: dns
              containerPort: 53
              protocol: UDP
            - name: dns-tcp
              containerPort: 53
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tcp-only
  namespace: app
spec:
  selector:
    matchLabels:
      app: tcp-only
  template:
    metadata:
      labels:
        app: tcp-only
        out: restricted
    spec:
      containers:
        - name: c
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: host
  namespace: app
spec:
  selector:
    matchLabels:
      app: host
  template:
    metadata:
      labels:
        app: host
        out: restricted
    spec:
      hostNetwork: true
      containers:
        - name: c
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: own-resolver
  namespace: app
spec:
  selector:
    matchLabels:
      app: own-resolver
  template:
    metadata:
      labels:
        app: own-resolver
        out: restricted
    spec:
      dnsPolicy: Default
      containers:
        - name: c
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: named-dns
  namespace: app
spec:
  selector:
    matchLabels:
      app: named-dns
  template:
    metadata:
      labels:
        app: named-dns
    spec:
      containers:
        - name: c
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: tcp-out
  namespace: app
spec:
  podSelector:
    matchLabels:
      out: restricted
  policyTypes: [Egress]
  egress:
    - ports:
        - protocol: TCP
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: also-out
  namespace: app
spec:
  podSelector:
    matchLabels:
      app: tcp-only
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector:
            matchLabels:
              app: named-dns
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: named
  namespace: app
spec:
  podSelector:
    matchLabels:
      app: named-dns
  policyTypes: [Egress]
  egress:
    - ports:
        - port: dns
          protocol: UDP
`;

const ROUTE_KINDS_AND_PORTS = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw
  namespace: infra
spec:
  gatewayClassName: example
  listeners:
    - name: http
      protocol: HTTP
      port: 80
      allowedRoutes:
        kinds:
          - kind: GRPCRoute
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: by-kind
  namespace: infra
spec:
  parentRefs:
    - name: gw
  rules:
    - backendRefs:
        - name: api
          port: 80
          weight: 0
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata:
  name: by-port
  namespace: infra
spec:
  parentRefs:
    - name: gw
      port: 8080
  rules:
    - backendRefs:
        - name: api
          port: 80
          filters:
            - type: RequestMirror
              requestMirror:
                backendRef:
                  name: shadow
                  namespace: qa
                  port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: infra
spec:
  ports:
    - port: 80
`;

describe('what a user reads: workloads, Services and StatefulSets', () => {
  it('every finding, in order, as shown', () => {
    assert.deepEqual(seen(WORKLOADS_AND_SERVICES), [
      {
        "rule": "workload-selector-mismatch",
        "severity": "error",
        "at": "8 matchLabels:",
        "message": "spec.selector app=api, tier=back of Deployment app/api does not match its own pod template labels (app=api, tier=web): tier=back (the template has tier=web). The API server rejects it; make the selector and the template labels agree.",
        "related": [
          "14 app: api: the pod template labels"
        ]
      },
      {
        "rule": "container-port-invalid",
        "severity": "error",
        "at": "22 name: Bad_Name",
        "message": "containerPort 70000 of container main in Deployment app/api is out of range; it must be 1-65535."
      },
      {
        "rule": "container-port-invalid",
        "severity": "error",
        "at": "22 Bad_Name",
        "message": "Port name \"Bad_Name\" of container main in Deployment app/api is not valid: it may contain only lowercase letters, digits and '-'. The API server rejects it."
      },
      {
        "rule": "container-port-invalid",
        "severity": "error",
        "at": "24 http",
        "message": "Port name \"http\" is used twice in the pod of Deployment app/api (ports 8080 and 8081); names must be unique within a Pod. Rename one.",
        "related": [
          "20 http: port 8080 is also named http"
        ]
      },
      {
        "rule": "probe-port-missing",
        "severity": "warning",
        "at": "28 9999",
        "message": "The liveness probe (tcpSocket) of container main in Deployment app/api checks port 9999, which the container does not declare (it declares 8080 (http), 70000 (Bad_Name), 8081 (http)). If the container listens there, declare it; otherwise fix the probe's port.",
        "related": [
          "18 name: main: container main"
        ]
      },
      {
        "rule": "service-external-traffic-policy",
        "severity": "warning",
        "at": "37 Local",
        "message": "externalTrafficPolicy: Local has no effect on Service app/api: a ClusterIP Service without externalIPs receives no external traffic. Remove it, or make the Service a NodePort or LoadBalancer if it should be reachable from outside."
      },
      {
        "rule": "service-port-invalid",
        "severity": "error",
        "at": "41 port: 80",
        "message": "Service app/api has 4 ports and port 80 has no name; every port of a multi-port Service needs a unique name. Add name: to it."
      },
      {
        "rule": "service-port-invalid",
        "severity": "error",
        "at": "42 \"8080\"",
        "message": "targetPort \"8080\" of Service app/api port 80 is quoted, so Kubernetes reads it as a port name, and a port name needs a letter; the API server rejects it. Write it without quotes: targetPort: 8080.",
        "fixes": [
          "Write targetPort as the number 8080 (preferred): 42 \"8080\" -> 8080"
        ]
      },
      {
        "rule": "service-port-invalid",
        "severity": "error",
        "at": "43 port: 81",
        "message": "Service app/api has 4 ports and port 81 has no name; every port of a multi-port Service needs a unique name. Add name: to it."
      },
      {
        "rule": "service-target-port-missing",
        "severity": "warning",
        "at": "44 9090",
        "message": "targetPort 9090 of Service app/api is not declared by any container of Deployment app/api (it declares 8080 (http), 70000 (Bad_Name), 8081 (http)). Traffic is still sent to 9090; declare the containerPort, or point targetPort at the port the container listens on.",
        "related": [
          "18 name: main: Deployment app/api declares 8080 (http), 70000 (Bad_Name), 8081 (http)"
        ]
      },
      {
        "rule": "service-port-invalid",
        "severity": "error",
        "at": "45 80",
        "message": "nodePort 80 of Service app/api port 81 is outside the default NodePort range 30000-32767; the API server rejects it unless the cluster's --service-node-port-range includes it. Pick a port in the range or omit nodePort to get one assigned."
      },
      {
        "rule": "service-protocol-mismatch",
        "severity": "warning",
        "at": "46 name: a",
        "message": "Service app/api port 82 (a) is UDP, but container port 8080 of Deployment app/api is TCP. Set the same protocol on both.",
        "related": [
          "20 name: http: container port 8080/TCP"
        ]
      },
      {
        "rule": "service-port-invalid",
        "severity": "error",
        "at": "50 a",
        "message": "Port name \"a\" is used twice in Service app/api (ports 82 and 0); port names must be unique. Rename one of them.",
        "related": [
          "46 a: port 82 is also named a"
        ]
      },
      {
        "rule": "service-port-invalid",
        "severity": "error",
        "at": "51 0",
        "message": "port 0 of Service app/api is out of range; a Service port must be 1-65535."
      },
      {
        "rule": "service-target-port-missing",
        "severity": "warning",
        "at": "83 3001",
        "message": "targetPort 3001 of Service app/solo is not declared by any container of Deployment app/solo (it declares 3000 (web)). Traffic is still sent to 3001; declare the containerPort, or point targetPort at the port the container listens on.",
        "related": [
          "68 name: main: Deployment app/solo declares 3000 (web)"
        ],
        "fixes": [
          "Set targetPort to web (preferred): 83 3001 -> web"
        ]
      },
      {
        "rule": "statefulset-service-missing",
        "severity": "error",
        "at": "91 db-hl",
        "message": "serviceName db-hl of StatefulSet app/db names no Service in namespace app, so its Pods get no stable DNS names. The headless Service db-headless selects its Pods: set serviceName to db-headless.",
        "fixes": [
          "Set serviceName to db-headless (preferred): 91 db-hl -> db-headless"
        ]
      },
      {
        "rule": "statefulset-service-not-headless",
        "severity": "warning",
        "at": "123 cache",
        "message": "Service app/cache, the governing Service of StatefulSet app/cache, is not headless, so the per-Pod DNS names (cache-0.cache) are not created. Set clusterIP: None on it (or use a separate headless Service as serviceName).",
        "related": [
          "138 cache: Service app/cache has a cluster IP"
        ]
      },
      {
        "rule": "service-target-port-missing",
        "severity": "warning",
        "at": "144 port: 6379",
        "message": "port 6379 (no targetPort, so the same number) of Service app/cache is not declared by any container of StatefulSet app/cache (it declares no ports). Traffic is still sent to 6379; declare the containerPort, or point targetPort at the port the container listens on.",
        "related": [
          "133 name: c: StatefulSet app/cache declares no ports"
        ]
      },
      {
        "rule": "service-no-selector",
        "severity": "info",
        "at": "149 manual",
        "message": "Service app/manual has no selector and no Endpoints or EndpointSlice named manual is in the set, so it sends traffic nowhere unless its endpoints are managed elsewhere. Add a selector, or an Endpoints/EndpointSlice for it."
      }
    ]);
  });
  it('the quoted targetPort fix writes the number, and the finding goes', () => {
    const text = fixed(WORKLOADS_AND_SERVICES, 'service-port-invalid', 'is quoted');
    assert.match(text, /\n {6}targetPort: 8080\n {4}- port: 81\n/);
    assert.ok(!findingsOf(text).some((f) => f.message.includes('is quoted')));
  });
  it("the targetPort fix names the only declared port, and the Service then reaches it", () => {
    const solo = WORKLOADS_AND_SERVICES.split('---\n').slice(2, 4).join('---\n');
    const text = fixed(solo, 'service-target-port-missing');
    assert.match(text, /\n {6}targetPort: web\n/);
    assert.deepEqual(findingsOf(text).map((f) => f.rule), []);
  });
  it('the serviceName fix names the headless Service that selects the Pods', () => {
    const db = WORKLOADS_AND_SERVICES.split('---\n').slice(4, 6).join('---\n');
    const text = fixed(db, 'statefulset-service-missing');
    assert.match(text, /\n {2}serviceName: db-headless\n/);
    assert.deepEqual(findingsOf(text).map((f) => f.rule), []);
  });
});

describe('what a user reads: Ingresses and IngressClasses', () => {
  it('every finding, in order, as shown', () => {
    assert.deepEqual(seen(INGRESSES), [
      {
        "rule": "ingress-class-missing",
        "severity": "warning",
        "at": "4 nginx",
        "message": "IngressClass nginx and IngressClass traefik are both marked default; with more than one default the API server rejects Ingresses that name no class. Keep one default."
      },
      {
        "rule": "ingress-class-missing",
        "severity": "warning",
        "at": "13 traefik",
        "message": "IngressClass nginx and IngressClass traefik are both marked default; with more than one default the API server rejects Ingresses that name no class. Keep one default."
      },
      {
        "rule": "service-no-matching-pods",
        "severity": "error",
        "at": "26 app: web",
        "message": "Selector app=web of Service site/web matches no Pod in namespace site, so it has no endpoints. Fix the selector or add a workload whose pod template has these labels."
      },
      {
        "rule": "ingress-class-missing",
        "severity": "warning",
        "at": "37 haproxy",
        "message": "ingressClassName haproxy of Ingress site/site names no IngressClass in the set (it has nginx and traefik), so no controller may serve it. Use one of those classes or add the IngressClass."
      },
      {
        "rule": "ingress-tls-host-mismatch",
        "severity": "warning",
        "at": "40 www.example.org",
        "message": "TLS host www.example.org of Ingress site/site is covered by no rule host (example.org), so certificate site-tls is never used for a route. Add a rule for www.example.org or fix the host name."
      },
      {
        "rule": "ingress-backend-service-missing",
        "severity": "error",
        "at": "50 wbe",
        "message": "Ingress site/site sends example.org/ to Service wbe, which is not in namespace site of the set. Add the Service or fix the name; an Ingress can only use Services in its own namespace."
      },
      {
        "rule": "ingress-backend-no-endpoints",
        "severity": "warning",
        "at": "57 web",
        "message": "Ingress site/site sends example.org/app to Service site/web, whose selector matches no workload, so these requests fail (503). Fix the Service's selector or deploy its Pods.",
        "related": [
          "26 app: web: selector of Service site/web"
        ]
      },
      {
        "rule": "ingress-backend-port-missing",
        "severity": "error",
        "at": "59 https",
        "message": "Ingress site/site sends example.org/app to port \"https\" of Service site/web, which has no such port (it has 80 (http)). Use one of the Service's ports.",
        "related": [
          "28 - name: http: ports of Service site/web"
        ],
        "fixes": [
          "Use port http, the Service's only port (preferred): 59 https -> http"
        ]
      },
      {
        "rule": "ingress-backend-no-endpoints",
        "severity": "warning",
        "at": "64 web",
        "message": "Ingress site/site sends example.org/dup to Service site/web, whose selector matches no workload, so these requests fail (503). Fix the Service's selector or deploy its Pods.",
        "related": [
          "26 app: web: selector of Service site/web"
        ]
      },
      {
        "rule": "ingress-class-missing",
        "severity": "warning",
        "at": "74 haproxy",
        "message": "ingressClassName haproxy of Ingress site/site-copy names no IngressClass in the set (it has nginx and traefik), so no controller may serve it. Use one of those classes or add the IngressClass."
      },
      {
        "rule": "ingress-duplicate-route",
        "severity": "warning",
        "at": "79 path: /dup",
        "message": "Ingress site/site-copy routes example.org/dup (Exact) like Ingress site/site (both class haproxy); which backend gets the requests depends on the controller. Remove one route, or give them different hosts or paths.",
        "related": [
          "60 path: /dup: the same route in Ingress site/site"
        ]
      },
      {
        "rule": "ingress-backend-no-endpoints",
        "severity": "warning",
        "at": "83 web",
        "message": "Ingress site/site-copy sends example.org/dup to Service site/web, whose selector matches no workload, so these requests fail (503). Fix the Service's selector or deploy its Pods.",
        "related": [
          "26 app: web: selector of Service site/web"
        ]
      }
    ]);
  });
  it("the backend port fix uses the Service's only port", () => {
    const text = fixed(INGRESSES, 'ingress-backend-port-missing');
    assert.match(text, /\n {18}name: http\n/);
    assert.ok(!findingsOf(text).some((f) => f.rule === 'ingress-backend-port-missing'));
  });
});

describe('what a user reads: NetworkPolicies and routes', () => {
  it('every finding, in order, as shown', () => {
    assert.deepEqual(seen(POLICIES_AND_ROUTES), [
      {
        "rule": "networkpolicy-peer-selects-nothing",
        "severity": "warning",
        "at": "40 matchLabels:",
        "message": "The from peer podSelector app=frontnd of NetworkPolicy shop/api matches no workload in namespace shop (without a namespaceSelector a peer is in the policy's own namespace), so it admits nothing. Fix the labels, or add a namespaceSelector if the Pods live elsewhere."
      },
      {
        "rule": "networkpolicy-selects-nothing",
        "severity": "warning",
        "at": "59 matchLabels:",
        "message": "podSelector app=worker of NetworkPolicy shop/workers matches no Pod in namespace shop, so the policy has no effect. Fix the selector or add a workload whose pod template has these labels."
      },
      {
        "rule": "route-backend-missing",
        "severity": "error",
        "at": "71 api",
        "message": "HTTPRoute shop/r sends traffic to Service other/api, which is not in the set. Add the Service or fix the backendRef's name and namespace."
      },
      {
        "rule": "route-backend-not-permitted",
        "severity": "error",
        "at": "72 other",
        "message": "HTTPRoute shop/r sends traffic to Service other/api in another namespace, and no ReferenceGrant in other lets HTTPRoutes of shop reference it: the reference is refused (RefNotPermitted) and its share of requests gets 500. Add a ReferenceGrant in other (from HTTPRoute in shop, to Service api)."
      },
      {
        "rule": "route-weights-zero",
        "severity": "warning",
        "at": "74 0",
        "message": "Rule 0 of HTTPRoute shop/r gives every backendRef weight 0, so no backend gets its requests: the Gateway answers 500. Give at least one backend a weight above 0 (or leave weight out: it defaults to 1)."
      },
      {
        "rule": "route-backend-missing",
        "severity": "error",
        "at": "76 missing",
        "message": "HTTPRoute shop/r sends traffic to Service shop/missing, which is not in the set. Add the Service or fix the backendRef's name."
      }
    ]);
  });
});

describe('what a user reads: IngressClass typos, backends without a port, duplicates through the default class', () => {
  it('every finding, in order, as shown', () => {
    assert.deepEqual(seen(CLASSES_AND_PORTS), [
      {
        "rule": "ingress-class-missing",
        "severity": "warning",
        "at": "49 ngnix",
        "message": "ingressClassName ngnix of Ingress site/one names no IngressClass in the set (it has nginx), so no controller may serve it. Use one of those classes or add the IngressClass.",
        "fixes": [
          "Use IngressClass nginx (preferred): 49 ngnix -> nginx"
        ]
      },
      {
        "rule": "ingress-backend-port-missing",
        "severity": "error",
        "at": "64 8080",
        "message": "Ingress site/one sends www.example.org/ to port 8080 of Service site/web, which has no such port (it has 80 (http)). Use one of the Service's ports.",
        "related": [
          "39 - name: http: ports of Service site/web"
        ],
        "fixes": [
          "Use port 80, the Service's only port (preferred): 64 8080 -> 80"
        ]
      },
      {
        "rule": "ingress-backend-port-missing",
        "severity": "error",
        "at": "70 web",
        "message": "Ingress site/one sends */ to Service site/web but names no port (service.port.number or service.port.name); the API server rejects a backend without one. Add one of the Service's ports (80 (http)).",
        "related": [
          "39 - name: http: ports of Service site/web"
        ]
      },
      {
        "rule": "ingress-duplicate-route",
        "severity": "warning",
        "at": "101 path: /",
        "message": "Ingress site/three routes www.example.org/ (Prefix) like Ingress site/two (both class nginx); which backend gets the requests depends on the controller. Remove one route, or give them different hosts or paths.",
        "related": [
          "82 path: /: the same route in Ingress site/two"
        ]
      }
    ]);
  });
  it('the class fix names the similar class, and the port fix the Service\'s only port', () => {
    const cls = fixed(CLASSES_AND_PORTS, 'ingress-class-missing');
    assert.match(cls, /\n {2}ingressClassName: nginx\n/);
    assert.ok(!findingsOf(cls).some((f) => f.rule === 'ingress-class-missing'));
    const port = fixed(CLASSES_AND_PORTS, 'ingress-backend-port-missing', 'port 8080');
    assert.match(port, /\n {18}number: 80\n/);
    assert.ok(!findingsOf(port).some((f) => f.message.includes('port 8080')));
  });
});

describe('what a user reads: Gateway API routes', () => {
  it('every finding, in order, as shown', () => {
    assert.deepEqual(seen(GATEWAY_ROUTES), [
      {
        "rule": "service-no-matching-pods",
        "severity": "error",
        "at": "35 app: api",
        "message": "Selector app=api of Service infra/api matches no Pod in namespace infra, so it has no endpoints. Fix the selector or add a workload whose pod template has these labels."
      },
      {
        "rule": "route-not-accepted",
        "severity": "warning",
        "at": "46 name: gw",
        "message": "HTTPRoute infra/wrong-section is not accepted by listener https of Gateway infra/gw: Gateway infra/gw has no listener named https (it has http, tls). The Gateway ignores it (Accepted False) and its requests get 404. Fix the sectionName.",
        "related": [
          "19 name: http: listener http of Gateway infra/gw",
          "22 name: tls: listener tls of Gateway infra/gw"
        ]
      },
      {
        "rule": "route-weights-zero",
        "severity": "warning",
        "at": "52 0",
        "message": "Rule 0 of HTTPRoute infra/wrong-section gives every backendRef weight 0, so no backend gets its requests: the Gateway answers 500. Give at least one backend a weight above 0."
      },
      {
        "rule": "route-not-accepted",
        "severity": "warning",
        "at": "64 name: gw",
        "message": "HTTPRoute apps/other-ns is not accepted by any listener of Gateway infra/gw: listener http takes routes from namespace infra only (allowedRoutes.namespaces.from Same, the default), and the route is in apps; listener tls (TLS) takes TLSRoute, not HTTPRoute. The Gateway ignores it (Accepted False) and its requests get 404. Widen the listener's allowedRoutes.namespaces, or move the route.",
        "related": [
          "19 name: http: listener http of Gateway infra/gw",
          "22 name: tls: listener tls of Gateway infra/gw"
        ]
      },
      {
        "rule": "route-backend-not-permitted",
        "severity": "error",
        "at": "68 type: RequestMirror",
        "message": "HTTPRoute apps/other-ns mirrors requests to Service infra/api in another namespace, and no ReferenceGrant in infra lets HTTPRoutes of apps reference it: the reference is refused (RefNotPermitted) and nothing is mirrored there (the requests themselves still go to the rule's backends). Add a ReferenceGrant in infra (from HTTPRoute in apps, to Service api)."
      },
      {
        "rule": "route-backend-not-permitted",
        "severity": "error",
        "at": "76 infra",
        "message": "HTTPRoute apps/other-ns sends traffic to Service infra/api in another namespace, and no ReferenceGrant in infra lets HTTPRoutes of apps reference it: the reference is refused (RefNotPermitted) and its share of requests gets 500. Add a ReferenceGrant in infra (from HTTPRoute in apps, to Service api)."
      }
    ]);
  });
});

describe('what a user reads: policy peers in named namespaces, named and ranged ports', () => {
  it('every finding, in order, as shown (a named port of the other protocol does not count; a peer in a named namespace is judged there)', () => {
    assert.deepEqual(seen(PEERS_AND_PORTS), [
      {
        "rule": "networkpolicy-peer-selects-nothing",
        "severity": "warning",
        "at": "70 matchLabels:",
        "message": "The from peer podSelector app=ledgr of NetworkPolicy shop/api matches no workload in namespace billing (chosen by its namespaceSelector), so it admits nothing. Fix the labels or the namespaceSelector."
      },
      {
        "rule": "networkpolicy-port-missing",
        "severity": "warning",
        "at": "73 port: grpc",
        "message": "NetworkPolicy shop/api allows ingress on port \"grpc\"/TCP, which none of the Pods it selects declares (Deployment shop/api: 8080 (http), 5353/UDP (dns)). Fix the port, or declare it on the containers."
      },
      {
        "rule": "networkpolicy-port-missing",
        "severity": "warning",
        "at": "74 port: dns",
        "message": "NetworkPolicy shop/api allows ingress on port \"dns\"/TCP, which none of the Pods it selects declares (Deployment shop/api: 8080 (http), 5353/UDP (dns)). Fix the port, or declare it on the containers."
      },
      {
        "rule": "networkpolicy-port-missing",
        "severity": "warning",
        "at": "76 port: 9000",
        "message": "NetworkPolicy shop/api allows ingress on ports 9000-9100/TCP, which none of the Pods it selects declares (Deployment shop/api: 8080 (http), 5353/UDP (dns)). Fix the port, or declare it on the containers."
      },
      {
        "rule": "networkpolicy-peer-selects-nothing",
        "severity": "warning",
        "at": "84 matchLabels:",
        "message": "The to peer podSelector app=nope of NetworkPolicy shop/api matches no workload in namespace shop (without a namespaceSelector a peer is in the policy's own namespace), so it allows nothing. Fix the labels, or add a namespaceSelector if the Pods live elsewhere."
      }
    ]);
  });
});

describe('what a user reads: egress that blocks DNS', () => {
  it('only UDP blocked is said as such; host-network Pods, another resolver and a rule naming the DNS port are left alone', () => {
    assert.deepEqual(seen(DNS_EGRESS), [
      {
        "rule": "networkpolicy-egress-blocks-dns",
        "severity": "warning",
        "at": "34 tcp-only",
        "message": "Deployment app/tcp-only is isolated for egress by NetworkPolicy app/tcp-out and NetworkPolicy app/also-out, and no rule allows UDP/53 to the cluster DNS (kube-system/Deployment/coredns): every name lookup fails, so it can reach its destinations by address only. Add an egress rule to namespace kube-system, Pods k8s-app=kube-dns, on UDP and TCP port 53.",
        "related": [
          "107 tcp-out: NetworkPolicy app/tcp-out isolates its egress",
          "121 also-out: NetworkPolicy app/also-out isolates its egress"
        ]
      }
    ]);
  });
});

describe('what a user reads: routes refused for their kind or port, a lone zero weight, a backend-level mirror', () => {
  it('every finding, in order, as shown', () => {
    const all = seen(ROUTE_KINDS_AND_PORTS);
    assert.deepEqual(all.filter((f) => f.rule !== 'route-backend-not-permitted'), [
      {
        "rule": "route-not-accepted",
        "severity": "warning",
        "at": "23 name: gw",
        "message": "HTTPRoute infra/by-kind is not accepted by any listener of Gateway infra/gw: listener http (HTTP) takes GRPCRoute, not HTTPRoute. The Gateway ignores it (Accepted False) and its requests get 404. Add the route's kind to the listener's allowedRoutes.kinds.",
        "related": [
          "9 name: http: listener http of Gateway infra/gw"
        ]
      },
      {
        "rule": "route-weights-zero",
        "severity": "warning",
        "at": "28 0",
        "message": "Rule 0 of HTTPRoute infra/by-kind gives every backendRef weight 0, so no backend gets its requests: the Gateway answers 500. Give at least one backend a weight above 0 (or leave weight out: it defaults to 1)."
      },
      {
        "rule": "route-not-accepted",
        "severity": "warning",
        "at": "37 name: gw",
        "message": "GRPCRoute infra/by-port is not accepted by any listener of Gateway infra/gw: parentRef port 8080 is not listener http's port 80. The Gateway ignores it (Accepted False) and its requests get 404. Fix the parentRef's port.",
        "related": [
          "9 name: http: listener http of Gateway infra/gw"
        ]
      },
      {
        "rule": "service-no-selector",
        "severity": "info",
        "at": "54 api",
        "message": "Service infra/api has no selector and no Endpoints or EndpointSlice named api is in the set, so it sends traffic nowhere unless its endpoints are managed elsewhere. Add a selector, or an Endpoints/EndpointSlice for it."
      }
    ]);
    // The mirror inside a backendRef's filters is judged like the backendRef itself.
    assert.deepEqual(
      all.filter((f) => f.rule === 'route-backend-not-permitted').map((f) => [f.severity, f.at, f.message.split(' in another namespace')[0]]),
      [['error', '44 type: RequestMirror', 'GRPCRoute infra/by-port mirrors requests to Service qa/shadow']],
    );
  });
});
