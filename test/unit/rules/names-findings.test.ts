// What a user reads where names and labels are nearly right, on a small
// fixture: "did you mean" for a name two characters longer, none for a name
// half changed, the fix written in the scalar's own quoting (double, single,
// plain), near misses that a selector's matchExpressions rule out, a label
// key longer than 63 characters one letter off, a missing key whose value
// another key happens to hold, a similar key with another value (a missing
// label, not a misspelt one), and two near misses (no fix: which one?).
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { emptyConfig } from '../../../src/core/config/types';
import { seen } from './seen';

const NEARLY_RIGHT = `apiVersion: v1
kind: Service
metadata:
  name: carts-1
  namespace: n
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: admin
  namespace: n
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: oath
  namespace: n
spec:
  selector:
    app: web
  ports:
    - port: 80
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: names
  namespace: n
spec:
  rules:
    - http:
        paths:
          - path: /a
            pathType: Prefix
            backend:
              service:
                name: carts
                port:
                  number: 80
          - path: /b
            pathType: Prefix
            backend:
              service:
                name: "admn"
                port:
                  number: 80
          - path: /c
            pathType: Prefix
            backend:
              service:
                name: auth
                port:
                  number: 80
          - path: /d
            pathType: Prefix
            backend:
              service:
                name: 'admi'
                port:
                  number: 80
          - path: /e
            pathType: Prefix
            backend:
              service:
                name: admn
                port:
                  number: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: n
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
        tier: front
        example.com/component-of-the-storefront-application-that-serves-pages: storefront
    spec:
      containers:
        - name: main
          image: web
          ports:
            - containerPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: n
spec:
  selector:
    matchLabels:
      app: carts
  template:
    metadata:
      labels:
        app: carts
        tier: back
    spec:
      containers:
        - name: main
          image: cart
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart-front
  namespace: n
spec:
  selector:
    matchLabels:
      app: carts
      tier: front
  template:
    metadata:
      labels:
        app: carts
        tier: front
    spec:
      containers:
        - name: main
          image: cart
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: cart
  namespace: n
spec:
  podSelector:
    matchLabels:
      app: cart
    matchExpressions:
      - key: tier
        operator: In
        values: [back]
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: storefront
  namespace: n
spec:
  podSelector:
    matchLabels:
      example.com/component-of-the-storefront-application-that-serves-page: storefront
      tier: front
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: named
  namespace: n
spec:
  podSelector:
    matchLabels:
      name: web
      tier: front
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Service
metadata:
  name: two-misses
  namespace: n
spec:
  selector:
    app: cars
  ports:
    - port: 80
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: apps
  namespace: n
spec:
  podSelector:
    matchLabels:
      appx: web
      tier: back
  policyTypes: [Ingress]
`;

describe('what a user reads: names and labels that are nearly right', () => {
  it("every finding, in order, as shown", () => {
    assert.deepEqual(seen(NEARLY_RIGHT), [
      {
        rule: "ingress-backend-service-missing",
        severity: "error",
        at: "47 carts",
        message: "Ingress n/names sends */a to Service carts, which is not in namespace n of the set (did you mean carts-1?). Add the Service or fix the name; an Ingress can only use Services in its own namespace.",
        fixes: [
          "Change the Service name to carts-1 (preferred): 47 carts -> carts-1"
        ]
      },
      {
        rule: "ingress-backend-service-missing",
        severity: "error",
        at: "54 \"admn\"",
        message: "Ingress n/names sends */b to Service admn, which is not in namespace n of the set (did you mean admin?). Add the Service or fix the name; an Ingress can only use Services in its own namespace.",
        fixes: [
          "Change the Service name to admin (preferred): 54 \"admn\" -> \"admin\""
        ]
      },
      {
        rule: "ingress-backend-service-missing",
        severity: "error",
        at: "61 auth",
        message: "Ingress n/names sends */c to Service auth, which is not in namespace n of the set. Add the Service or fix the name; an Ingress can only use Services in its own namespace."
      },
      {
        rule: "ingress-backend-service-missing",
        severity: "error",
        at: "68 'admi'",
        message: "Ingress n/names sends */d to Service admi, which is not in namespace n of the set (did you mean admin?). Add the Service or fix the name; an Ingress can only use Services in its own namespace.",
        fixes: [
          "Change the Service name to admin (preferred): 68 'admi' -> 'admin'"
        ]
      },
      {
        rule: "ingress-backend-service-missing",
        severity: "error",
        at: "75 admn",
        message: "Ingress n/names sends */e to Service admn, which is not in namespace n of the set (did you mean admin?). Add the Service or fix the name; an Ingress can only use Services in its own namespace.",
        fixes: [
          "Change the Service name to admin (preferred): 75 admn -> admin"
        ]
      },
      {
        rule: "networkpolicy-selects-nothing",
        severity: "warning",
        at: "147 matchLabels:",
        message: "podSelector app=cart, tier in (back) of NetworkPolicy n/cart matches no Pod in namespace n, so the policy has no effect. Deployment n/cart has app=carts. Change the selector to app=carts or fix the labels.",
        related: [
          "113 app: carts: Deployment n/cart has app=carts"
        ],
        fixes: [
          "Change the selector to app=carts (preferred): 148 cart -> carts"
        ]
      },
      {
        rule: "networkpolicy-selects-nothing",
        severity: "warning",
        at: "162 matchLabels:",
        message: "podSelector example.com/component-of-the-storefront-application-that-serves-page=storefront, tier=front of NetworkPolicy n/storefront matches no Pod in namespace n, so the policy has no effect. Deployment n/web has example.com/component-of-the-storefront-application-that-serves-pages=storefront (not example.com/component-of-the-storefront-application-that-serves-page) and Deployment n/cart-front matches except that it has no example.com/component-of-the-storefront-application-that-serves-page label. Fix the selector or the pod labels.",
        related: [
          "91 app: web: Deployment n/web has example.com/component-of-the-storefront-application-that-serves-pages=storefront (not example.com/component-of-the-storefront-application-that-serves-page)",
          "133 app: carts: Deployment n/cart-front matches except that it has no example.com/component-of-the-storefront-application-that-serves-page label"
        ]
      },
      {
        rule: "networkpolicy-selects-nothing",
        severity: "warning",
        at: "174 matchLabels:",
        message: "podSelector name=web, tier=front of NetworkPolicy n/named matches no Pod in namespace n, so the policy has no effect. Deployment n/web matches except that it has no name label and Deployment n/cart-front matches except that it has no name label. Fix the selector or the pod labels.",
        related: [
          "91 app: web: Deployment n/web matches except that it has no name label",
          "133 app: carts: Deployment n/cart-front matches except that it has no name label"
        ]
      },
      {
        rule: "service-no-matching-pods",
        severity: "error",
        at: "186 app: cars",
        message: "Selector app=cars of Service n/two-misses matches no Pod in namespace n, so it has no endpoints. Deployment n/cart has app=carts and Deployment n/cart-front has app=carts. Fix the selector or the pod labels.",
        related: [
          "113 app: carts: Deployment n/cart has app=carts",
          "133 app: carts: Deployment n/cart-front has app=carts"
        ]
      },
      {
        rule: "networkpolicy-selects-nothing",
        severity: "warning",
        at: "197 matchLabels:",
        message: "podSelector appx=web, tier=back of NetworkPolicy n/apps matches no Pod in namespace n, so the policy has no effect. Deployment n/cart matches except that it has no appx label. Fix the selector or the pod labels.",
        related: [
          "113 app: carts: Deployment n/cart matches except that it has no appx label"
        ]
      }
    ]);
  });

  it('label keys the configuration ignores count neither for a match nor for a near miss', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: n
spec:
  selector:
    matchLabels:
      app: carts
  template:
    metadata:
      labels:
        app: carts
        version: v2
    spec:
      containers:
        - name: main
          image: cart
---
apiVersion: v1
kind: Service
metadata:
  name: cart
  namespace: n
spec:
  selector:
    app: cart
    version: v1
  ports:
    - port: 80
`;
    const a = new Analysis({ config: { ...emptyConfig(), ignoreLabelKeys: ['version'] } });
    a.setFile('app.yaml', text);
    assert.deepEqual(seen(text, a.findings()), [
      {
        rule: 'service-no-matching-pods',
        severity: 'error',
        at: '27 app: cart',
        message: 'Selector app=cart, version=v1 of Service n/cart matches no Pod in namespace n, so it has no endpoints. Deployment n/cart has app=carts. Change the selector to app=carts or fix the labels.',
        related: ['13 app: carts: Deployment n/cart has app=carts'],
        fixes: ['Change the selector to app=carts (preferred): 27 cart -> carts'],
      },
    ]);
  });
});

