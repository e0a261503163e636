// What a user reads for a workload's own spec on a small fixture: a selector
// whose matchLabels and matchExpressions both miss the template (each miss
// said), a probe naming a port no container declares, and the probes that are
// fine: a quoted number, a declared number, a port of a second container; a
// port not declared (the ports then listed), and port names the API server
// rejects, each for its own reason (one valid name with digits and dashes).
import assert from 'node:assert/strict';
import { seen } from './seen';

const OWN_SPEC = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: sel
  namespace: w
spec:
  selector:
    matchLabels:
      app: a
      tier: back
    matchExpressions:
      - key: env
        operator: In
        values: [prod]
  template:
    metadata:
      labels:
        app: a
        env: dev
    spec:
      containers:
        - name: main
          image: a
          ports:
            - name: http
              containerPort: 8080
          livenessProbe:
            httpGet:
              path: /healthz
              port: http2
          readinessProbe:
            httpGet:
              path: /ready
              port: "8080"
          startupProbe:
            tcpSocket:
              port: 8080
        - name: side
          image: side
          ports:
            - containerPort: 9000
            - containerPort: 9001
          livenessProbe:
            tcpSocket:
              port: 9001
          readinessProbe:
            tcpSocket:
              port: 9002
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: names
  namespace: w
spec:
  selector:
    matchLabels:
      app: names
  template:
    metadata:
      labels:
        app: names
    spec:
      containers:
        - name: main
          image: names
          ports:
            - name: abcdefghijklmnop
              containerPort: 8001
            - name: ABCDEFGHIJKLMNO
              containerPort: 8002
            - name: web-
              containerPort: 8003
            - name: x--y
              containerPort: 8004
            - name: "1234"
              containerPort: 8005
            - name: a-b-9
              containerPort: 8006
`;

describe("what a user reads: a workload's selector, probes and port names", () => {
  it("every finding, in order, as shown", () => {
    assert.deepEqual(seen(OWN_SPEC), [
      {
        rule: "workload-selector-mismatch",
        severity: "error",
        at: "8 matchLabels:",
        message: "spec.selector app=a, tier=back, env in (prod) of Deployment w/sel does not match its own pod template labels (app=a, env=dev): tier=back (the template has no tier); env in (prod). The API server rejects it; make the selector and the template labels agree.",
        related: [
          "18 app: a: the pod template labels"
        ]
      },
      {
        rule: "probe-port-missing",
        severity: "error",
        at: "30 http2",
        message: "The liveness probe (httpGet) of container main in Deployment w/sel uses port http2, which the container does not declare (it declares 8080 (http)), so the probe always fails. Name the container port http2 or use its number.",
        related: [
          "22 name: main: container main"
        ]
      },
      {
        rule: "probe-port-missing",
        severity: "warning",
        at: "48 9002",
        message: "The readiness probe (tcpSocket) of container side in Deployment w/sel checks port 9002, which the container does not declare (it declares 9000, 9001). If the container listens there, declare it; otherwise fix the probe's port.",
        related: [
          "38 name: side: container side"
        ]
      },
      {
        rule: "container-port-invalid",
        severity: "error",
        at: "68 abcdefghijklmnop",
        message: "Port name \"abcdefghijklmnop\" of container main in Deployment w/names is not valid: it is 16 characters long (at most 15). The API server rejects it."
      },
      {
        rule: "container-port-invalid",
        severity: "error",
        at: "70 ABCDEFGHIJKLMNO",
        message: "Port name \"ABCDEFGHIJKLMNO\" of container main in Deployment w/names is not valid: it may contain only lowercase letters, digits and '-'. The API server rejects it."
      },
      {
        rule: "container-port-invalid",
        severity: "error",
        at: "72 web-",
        message: "Port name \"web-\" of container main in Deployment w/names is not valid: it may not begin or end with '-'. The API server rejects it."
      },
      {
        rule: "container-port-invalid",
        severity: "error",
        at: "74 x--y",
        message: "Port name \"x--y\" of container main in Deployment w/names is not valid: it may not contain '--'. The API server rejects it."
      },
      {
        rule: "container-port-invalid",
        severity: "error",
        at: "76 \"1234\"",
        message: "Port name \"1234\" of container main in Deployment w/names is not valid: it must contain at least one letter. The API server rejects it."
      }
    ]);
  });
});
