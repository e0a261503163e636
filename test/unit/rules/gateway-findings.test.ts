// What a user reads for Gateway API routes on a small fixture: a route no
// listener of five accepts (at most four listeners related), a Gateway without
// listeners (nothing to judge), and references into another namespace that a
// ReferenceGrant for core Services permits (a backend, and a mirror filter of
// that backend next to a filter of another type).
import assert from 'node:assert/strict';
import { seen } from './seen';

const ROUTES = `apiVersion: v1
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
    - name: a
      protocol: HTTP
      port: 80
      hostname: a.example.com
    - name: b
      protocol: HTTP
      port: 80
      hostname: b.example.com
    - name: c
      protocol: HTTP
      port: 80
      hostname: c.example.com
    - name: d
      protocol: HTTP
      port: 80
      hostname: d.example.com
    - name: e
      protocol: HTTP
      port: 80
      hostname: e.example.com
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: bare
  namespace: infra
spec:
  gatewayClassName: example
  listeners: []
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: elsewhere
  namespace: infra
spec:
  parentRefs:
    - name: gw
    - name: bare
  hostnames: [shop.example.org]
  rules:
    - backendRefs:
        - name: api
          namespace: apps
          port: 80
          filters:
            - type: RequestHeaderModifier
              requestHeaderModifier:
                add:
                  - name: x-from
                    value: gateway
            - type: RequestMirror
              requestMirror:
                backendRef:
                  name: shadow
                  namespace: apps
                  port: 80
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: from-infra
  namespace: apps
spec:
  from:
    - group: gateway.networking.k8s.io
      kind: HTTPRoute
      namespace: infra
  to:
    - group: ""
      kind: Service
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: apps
spec:
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: shadow
  namespace: apps
spec:
  ports:
    - port: 80
`;

describe('what a user reads: routes, listeners and ReferenceGrants', () => {
  it("every finding, in order, as shown", () => {
    assert.deepEqual(seen(ROUTES), [
      {
        rule: "route-not-accepted",
        severity: "warning",
        at: "56 name: gw",
        message: "HTTPRoute infra/elsewhere is not accepted by any listener of Gateway infra/gw: listener a's hostname a.example.com shares no host with the route's hostnames shop.example.org; listener b's hostname b.example.com shares no host with the route's hostnames shop.example.org; listener c's hostname c.example.com shares no host with the route's hostnames shop.example.org; listener d's hostname d.example.com shares no host with the route's hostnames shop.example.org; listener e's hostname e.example.com shares no host with the route's hostnames shop.example.org. The Gateway ignores it (Accepted False) and its requests get 404. Make the route's hostnames meet the listener's hostname, or attach it to a listener that serves them.",
        related: [
          "19 name: a: listener a of Gateway infra/gw",
          "23 name: b: listener b of Gateway infra/gw",
          "27 name: c: listener c of Gateway infra/gw",
          "31 name: d: listener d of Gateway infra/gw"
        ]
      },
      {
        rule: "service-no-selector",
        severity: "info",
        at: "94 api",
        message: "Service apps/api has no selector and no Endpoints or EndpointSlice named api is in the set, so it sends traffic nowhere unless its endpoints are managed elsewhere. Add a selector, or an Endpoints/EndpointSlice for it."
      },
      {
        rule: "service-no-selector",
        severity: "info",
        at: "103 shadow",
        message: "Service apps/shadow has no selector and no Endpoints or EndpointSlice named shadow is in the set, so it sends traffic nowhere unless its endpoints are managed elsewhere. Add a selector, or an Endpoints/EndpointSlice for it."
      }
    ]);
  });
});
