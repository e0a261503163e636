// What a user reads for Ingress backends, TLS hosts, IngressClasses and route
// ports on small fixtures (rule, severity, line, underlined text, message,
// related locations, fixes): a backend port among several, a Service without
// ports, a named port the only port lacks, ExternalName and selector-less
// backends (no "no endpoints"), wildcard TLS hosts of another domain, a TLS
// section without secret, v1beta1's servicePort, three default classes,
// routes without a common default class and a route backendRef without port.
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { seen } from './seen';

const BACKENDS_AND_TLS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: multi
  namespace: web
spec:
  selector:
    matchLabels:
      app: multi
  template:
    metadata:
      labels:
        app: multi
    spec:
      containers:
        - name: main
          image: app
---
apiVersion: v1
kind: Service
metadata:
  name: multi
  namespace: web
spec:
  selector:
    app: multi
  ports:
    - name: http
      port: 80
    - name: https
      port: 443
---
apiVersion: v1
kind: Service
metadata:
  name: portless
  namespace: web
spec:
  selector:
    app: multi
---
apiVersion: v1
kind: Service
metadata:
  name: solo
  namespace: web
spec:
  selector:
    app: multi
  ports:
    - port: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: ext
  namespace: web
spec:
  type: ExternalName
  externalName: api.example.org
  selector:
    app: nothing
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: manual
  namespace: web
spec:
  ports:
    - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: front
  namespace: web
spec:
  tls:
    - hosts: [shop.example.com, api.example.org]
      secretName: front-tls
    - hosts: [www.example.net]
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /a
            pathType: Prefix
            backend:
              service:
                name: multi
                port:
                  number: 80
          - path: /b
            pathType: Prefix
            backend:
              service:
                name: multi
                port:
                  name: https
          - path: /c
            pathType: Prefix
            backend:
              service:
                name: portless
                port:
                  number: 80
          - path: /d
            pathType: Prefix
            backend:
              service:
                name: solo
                port:
                  name: http
          - path: /e
            pathType: Prefix
            backend:
              service:
                name: ext
                port:
                  number: 80
          - path: /f
            pathType: Prefix
            backend:
              service:
                name: manual
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: wild
  namespace: web
spec:
  tls:
    - hosts: [shop.example.org, a.example.com, static.example.net, "*.example.com"]
      secretName: wild-tls
  rules:
    - host: "*.example.com"
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: multi
                port:
                  number: 80
    - host: static.example.net
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: multi
                port:
                  number: 80
---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: legacy
  namespace: web
spec:
  rules:
    - host: old.example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: multi
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: catch-all
  namespace: web
spec:
  tls:
    - hosts: [any.example.com]
  defaultBackend:
    service:
      name: multi
      port:
        number: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: hostless
  namespace: web
spec:
  tls:
    - hosts: [any.example.com]
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /x
            pathType: Exact
            backend:
              service:
                name: multi
                port:
                  number: 80
    - http:
        paths:
          - path: /x
            pathType: Exact
            backend:
              service:
                name: multi
                port:
                  number: 80
`;

const CLASSES = `apiVersion: networking.k8s.io/v1
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
spec:
  controller: traefik.io/ingress-controller
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: typo
  namespace: web
spec:
  ingressClassName: nginix
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: Bucket
      name: assets
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: other
  namespace: web
spec:
  ingressClassName: traefik
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: Bucket
      name: assets
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: annotated
  namespace: web
  annotations:
    kubernetes.io/ingress.class: haproxy
spec:
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: Bucket
      name: assets
`;

const THREE_DEFAULTS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: a
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: example.com/a
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: b
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: example.com/b
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: c
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: example.com/c
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: one
  namespace: web
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              resource:
                apiGroup: k8s.example.com
                kind: Bucket
                name: assets
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: two
  namespace: web
spec:
  rules:
    - host: SHOP.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              resource:
                apiGroup: k8s.example.com
                kind: Bucket
                name: assets
`;

const ROUTE_PORTS = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app: api
  ports:
    - name: http
      port: 80
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
        - name: api
          port: 8080
`;

describe('what a user reads: Ingress backends and TLS hosts, classes, route ports', () => {
  it("backend ports, endpoints and TLS hosts: every finding, in order", () => {
    assert.deepEqual(seen(BACKENDS_AND_TLS), [
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "28 name: http",
        message: "port 80 (no targetPort, so the same number) of Service web/multi is not declared by any container of Deployment web/multi (it declares no ports). Traffic is still sent to 80; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "16 name: main: Deployment web/multi declares no ports"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "30 name: https",
        message: "port 443 (no targetPort, so the same number) of Service web/multi is not declared by any container of Deployment web/multi (it declares no ports). Traffic is still sent to 443; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "16 name: main: Deployment web/multi declares no ports"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "51 port: 8080",
        message: "port 8080 (no targetPort, so the same number) of Service web/solo is not declared by any container of Deployment web/multi (it declares no ports). Traffic is still sent to 8080; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "16 name: main: Deployment web/multi declares no ports"
        ]
      },
      {
        rule: "service-no-selector",
        severity: "info",
        at: "69 manual",
        message: "Service web/manual has no selector and no Endpoints or EndpointSlice named manual is in the set, so it sends traffic nowhere unless its endpoints are managed elsewhere. Add a selector, or an Endpoints/EndpointSlice for it."
      },
      {
        rule: "ingress-tls-host-mismatch",
        severity: "warning",
        at: "82 api.example.org",
        message: "TLS host api.example.org of Ingress web/front is covered by no rule host (shop.example.com), so certificate front-tls is never used for a route. Add a rule for api.example.org or fix the host name."
      },
      {
        rule: "ingress-tls-host-mismatch",
        severity: "warning",
        at: "84 www.example.net",
        message: "TLS host www.example.net of Ingress web/front is covered by no rule host (shop.example.com), so its certificate is never used for a route. Add a rule for www.example.net or fix the host name."
      },
      {
        rule: "ingress-backend-port-missing",
        severity: "error",
        at: "109 80",
        message: "Ingress web/front sends shop.example.com/c to port 80 of Service web/portless, which has no such port (it has no ports). Use one of the Service's ports.",
        related: [
          "36 portless: ports of Service web/portless"
        ]
      },
      {
        rule: "ingress-backend-port-missing",
        severity: "error",
        at: "116 http",
        message: "Ingress web/front sends shop.example.com/d to port \"http\" of Service web/solo, which has no such port (it has 8080). Use one of the Service's ports.",
        related: [
          "51 - port: 8080: ports of Service web/solo"
        ]
      },
      {
        rule: "ingress-tls-host-mismatch",
        severity: "warning",
        at: "139 shop.example.org",
        message: "TLS host shop.example.org of Ingress web/wild is covered by no rule host (*.example.com and static.example.net), so certificate wild-tls is never used for a route. Add a rule for shop.example.org or fix the host name."
      },
      {
        rule: "ingress-backend-port-missing",
        severity: "error",
        at: "175 multi",
        message: "Ingress web/legacy sends old.example.com/ to Service web/multi but names no port (servicePort); the API server rejects a backend without one. Add one of the Service's ports (80 (http), 443 (https)).",
        related: [
          "28 - name: http: ports of Service web/multi"
        ]
      }
    ]);
  });

  it("a class name one letter off gets the fix; a class in the set or named by the legacy annotation is left alone", () => {
    assert.deepEqual(seen(CLASSES), [
      {
        rule: "ingress-class-missing",
        severity: "warning",
        at: "23 nginix",
        message: "ingressClassName nginix of Ingress web/typo names no IngressClass in the set (it has nginx and traefik), so no controller may serve it. Use one of those classes or add the IngressClass.",
        fixes: [
          "Use IngressClass nginx (preferred): 23 nginix -> nginx"
        ]
      }
    ]);
  });

  it("three default classes are 'all' marked default; routes with no single default class name no class", () => {
    assert.deepEqual(seen(THREE_DEFAULTS), [
      {
        rule: "ingress-class-missing",
        severity: "warning",
        at: "4 a",
        message: "IngressClass a, IngressClass b and IngressClass c are all marked default; with more than one default the API server rejects Ingresses that name no class. Keep one default."
      },
      {
        rule: "ingress-class-missing",
        severity: "warning",
        at: "13 b",
        message: "IngressClass a, IngressClass b and IngressClass c are all marked default; with more than one default the API server rejects Ingresses that name no class. Keep one default."
      },
      {
        rule: "ingress-class-missing",
        severity: "warning",
        at: "22 c",
        message: "IngressClass a, IngressClass b and IngressClass c are all marked default; with more than one default the API server rejects Ingresses that name no class. Keep one default."
      },
      {
        rule: "ingress-duplicate-route",
        severity: "warning",
        at: "56 path: /",
        message: "Ingress web/two routes SHOP.example.com/ (Prefix) like Ingress web/one; which backend gets the requests depends on the controller. Remove one route, or give them different hosts or paths.",
        related: [
          "38 path: /: the same route in Ingress web/one"
        ]
      }
    ]);
  });

  it("a backendRef without port takes the Service's; a wrong port is underlined and the Service's ports are related", () => {
    assert.deepEqual(seen(ROUTE_PORTS), [
      {
        rule: "service-no-matching-pods",
        severity: "error",
        at: "8 app: api",
        message: "Selector app=api of Service shop/api matches no Pod in namespace shop, so it has no endpoints. Fix the selector or add a workload whose pod template has these labels."
      },
      {
        rule: "route-backend-missing",
        severity: "error",
        at: "23 8080",
        message: "HTTPRoute shop/r sends traffic to port 8080 of Service shop/api, which has no such port (it has 80 (http)). Use one of the Service's ports.",
        related: [
          "10 - name: http: ports of Service shop/api"
        ]
      }
    ]);
  });

  it('a Service defined in two alternative files: a port either has counts, the fix only when both have the same one port, endpoints when either selects Pods', () => {
    const svc = (port: number, app: string) => `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: web
spec:
  selector:
    app: ${app}
  ports:
    - port: ${port}
`;
    const ingress = (port: number) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: front
  namespace: web
spec:
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  number: ${port}
`;
    const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: web
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
`;
    const lint = (files: Record<string, string>) => {
      const a = new Analysis();
      for (const [p, t] of Object.entries(files)) a.setFile(p, t);
      return a
        .findings()
        .filter((f) => f.rule.startsWith('ingress-'))
        .map((f) => `${f.rule}: ${f.message}${f.fixes.filter((x) => !x.title.startsWith('Disable ')).map((x) => ` {${x.title}}`).join('')}`);
    };
    const overlays = { 'deploy.yaml': deploy, 'base/svc.yaml': svc(80, 'api'), 'prod/svc.yaml': svc(8080, 'api-prod') };
    // 8080 is a port of one definition, and one definition selects the Pods: nothing to say.
    assert.deepEqual(lint({ ...overlays, 'ingress.yaml': ingress(8080) }), []);
    // No definition has 9090; their only ports differ, so no fix.
    assert.deepEqual(lint({ ...overlays, 'ingress.yaml': ingress(9090) }), [
      "ingress-backend-port-missing: Ingress web/front sends */ to port 9090 of Service web/api, which has no such port (it has 80). Use one of the Service's ports.",
    ]);
    // Both definitions have the one port 80: the fix uses it.
    assert.deepEqual(lint({ ...overlays, 'prod/svc.yaml': svc(80, 'api-prod'), 'ingress.yaml': ingress(9090) }), [
      "ingress-backend-port-missing: Ingress web/front sends */ to port 9090 of Service web/api, which has no such port (it has 80). Use one of the Service's ports. {Use port 80, the Service's only port}",
    ]);
    // Neither definition selects the Pods: no endpoints.
    assert.deepEqual(lint({ ...overlays, 'deploy.yaml': deploy.replace(/app: api/g, 'app: other'), 'ingress.yaml': ingress(80) }), [
      "ingress-backend-no-endpoints: Ingress web/front sends */ to Service web/api, whose selector matches no workload, so these requests fail (503). Fix the Service's selector or deploy its Pods.",
    ]);
  });
});

