// What a user reads for Service ports and StatefulSet Services on a small
// fixture: target ports out of range, quoted, invalid or named after digits
// (each said once, by the rule that owns it), targetPort 0 and "" (the port
// itself), a port declared for both protocols, the targetPort fix only when
// one port of the protocol is declared, externalTrafficPolicy where it has
// no effect (and not with externalIPs), and serviceName: the headless
// Service offered or none to offer, a governing Service with and without a
// fixed cluster IP; a target port two workloads lack (no fix: which port?).
import assert from 'node:assert/strict';
import { Analysis } from '../../../src/core/analysis';
import { seen } from './seen';

const SERVICE_PORTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: s
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
            - name: web
              containerPort: 9090
            - name: dns
              containerPort: 53
              protocol: UDP
            - name: dns-tcp
              containerPort: 53
---
apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: s
spec:
  selector:
    app: api
  ports:
    - name: a
      port: 80
      targetPort: 8080
    - name: b
      port: 81
      targetPort: 70000
    - name: c
      port: 82
      targetPort: "70000"
    - name: d
      port: 83
      targetPort: Bad_Name
    - name: e
      port: 84
      targetPort: web2
    - name: f
      port: 85
      targetPort: 8web
    - name: g
      port: 86
      targetPort: 0
    - name: h
      port: 70000
      targetPort: 9090
    - name: i
      port: 53
      targetPort: 53
    - name: j
      port: 87
      targetPort: ""
---
apiVersion: v1
kind: Service
metadata:
  name: udp-only
  namespace: s
spec:
  selector:
    app: api
  ports:
    - port: 5353
      targetPort: 5000
      protocol: UDP
---
apiVersion: v1
kind: Service
metadata:
  name: plain
  namespace: s
spec:
  externalTrafficPolicy: Local
  selector:
    app: nothing
  ports:
    - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: alias
  namespace: s
spec:
  type: ExternalName
  externalName: db.example.org
  externalTrafficPolicy: Cluster
---
apiVersion: v1
kind: Service
metadata:
  name: exposed
  namespace: s
spec:
  externalIPs: [192.0.2.10]
  externalTrafficPolicy: Local
  selector:
    app: nothing
  ports:
    - port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: s
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
          image: db
          ports:
            - containerPort: 5432
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: s
spec:
  selector:
    app: db
  ports:
    - port: 5432
---
apiVersion: v1
kind: Service
metadata:
  name: db-headless
  namespace: s
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
  namespace: s
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
        - name: cache
          image: cache
          ports:
            - containerPort: 6379
---
apiVersion: v1
kind: Service
metadata:
  name: cache
  namespace: s
spec:
  clusterIP: 10.96.0.20
  selector:
    app: cache
  ports:
    - port: 6379
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: queue
  namespace: s
spec:
  serviceName: queue
  selector:
    matchLabels:
      app: queue
  template:
    metadata:
      labels:
        app: queue
    spec:
      containers:
        - name: queue
          image: queue
          ports:
            - containerPort: 5672
---
apiVersion: v1
kind: Service
metadata:
  name: queue
  namespace: s
spec:
  selector:
    app: queue
  ports:
    - port: 5672
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: orphan
  namespace: s
spec:
  serviceName: orphan-hl
  selector:
    matchLabels:
      app: orphan
  template:
    metadata:
      labels:
        app: orphan
    spec:
      containers:
        - name: orphan
          image: orphan
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: one
  namespace: s
spec:
  selector:
    matchLabels:
      app: one
  template:
    metadata:
      labels:
        app: one
        tier: pair
    spec:
      containers:
        - name: main
          image: one
          ports:
            - containerPort: 7001
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: two
  namespace: s
spec:
  selector:
    matchLabels:
      app: two
  template:
    metadata:
      labels:
        app: two
        tier: pair
    spec:
      containers:
        - name: main
          image: two
          ports:
            - containerPort: 7002
---
apiVersion: v1
kind: Service
metadata:
  name: pair
  namespace: s
spec:
  selector:
    tier: pair
  ports:
    - port: 80
      targetPort: 7000
`;

describe('what a user reads: Service target ports, externalTrafficPolicy, StatefulSet Services', () => {
  it("every finding, in order, as shown", () => {
    assert.deepEqual(seen(SERVICE_PORTS), [
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "38 8080",
        message: "targetPort 8080 of Service s/api is not declared by any container of Deployment s/api (it declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)). Traffic is still sent to 8080; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "16 name: main: Deployment s/api declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)"
        ]
      },
      {
        rule: "service-port-invalid",
        severity: "error",
        at: "41 70000",
        message: "targetPort 70000 of Service s/api port 81 (b) is out of range; it must be 1-65535 (or a port name)."
      },
      {
        rule: "service-port-invalid",
        severity: "error",
        at: "44 \"70000\"",
        message: "targetPort \"70000\" of Service s/api port 82 (c) is quoted, so Kubernetes reads it as a port name, and a port name needs a letter; the API server rejects it. Write it without quotes: targetPort: 70000."
      },
      {
        rule: "service-port-invalid",
        severity: "error",
        at: "47 Bad_Name",
        message: "targetPort name \"Bad_Name\" of Service s/api port 83 (d) is not a valid port name: it may contain only lowercase letters, digits and '-'. Use the container port's (valid) name or its number."
      },
      {
        rule: "service-target-port-missing",
        severity: "error",
        at: "50 web2",
        message: "targetPort web2 of Service s/api names a port no container of Deployment s/api declares (it declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)), so port 84 (e) has no endpoints. Name the container port web2 or change targetPort.",
        related: [
          "16 name: main: Deployment s/api declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "error",
        at: "53 8web",
        message: "targetPort 8web of Service s/api names a port no container of Deployment s/api declares (it declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)), so port 85 (f) has no endpoints. Name the container port 8web or change targetPort.",
        related: [
          "16 name: main: Deployment s/api declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "56 0",
        message: "port 86 (no targetPort, so the same number) of Service s/api is not declared by any container of Deployment s/api (it declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)). Traffic is still sent to 86; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "16 name: main: Deployment s/api declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)"
        ]
      },
      {
        rule: "service-port-invalid",
        severity: "error",
        at: "58 70000",
        message: "port 70000 of Service s/api is out of range; a Service port must be 1-65535."
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "65 \"\"",
        message: "port 87 (no targetPort, so the same number) of Service s/api is not declared by any container of Deployment s/api (it declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)). Traffic is still sent to 87; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "16 name: main: Deployment s/api declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "77 5000",
        message: "targetPort 5000 of Service s/udp-only is not declared by any container of Deployment s/api (it declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)). Traffic is still sent to 5000; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "16 name: main: Deployment s/api declares 9090 (web), 53/UDP (dns), 53 (dns-tcp)"
        ],
        fixes: [
          "Set targetPort to dns (preferred): 77 5000 -> dns"
        ]
      },
      {
        rule: "service-external-traffic-policy",
        severity: "warning",
        at: "86 Local",
        message: "externalTrafficPolicy: Local has no effect on Service s/plain: a ClusterIP Service without externalIPs receives no external traffic. Remove it, or make the Service a NodePort or LoadBalancer if it should be reachable from outside."
      },
      {
        rule: "service-no-matching-pods",
        severity: "error",
        at: "88 app: nothing",
        message: "Selector app=nothing of Service s/plain matches no Pod in namespace s, so it has no endpoints. Fix the selector or add a workload whose pod template has these labels."
      },
      {
        rule: "service-external-traffic-policy",
        severity: "warning",
        at: "100 Cluster",
        message: "externalTrafficPolicy: Cluster has no effect on Service s/alias: a ExternalName Service receives no external traffic. Remove it, or make the Service a NodePort or LoadBalancer if it should be reachable from outside."
      },
      {
        rule: "service-no-matching-pods",
        severity: "error",
        at: "111 app: nothing",
        message: "Selector app=nothing of Service s/exposed matches no Pod in namespace s, so it has no endpoints. Fix the selector or add a workload whose pod template has these labels."
      },
      {
        rule: "statefulset-service-missing",
        severity: "error",
        at: "121 db-hl",
        message: "serviceName db-hl of StatefulSet s/db names no Service in namespace s, so its Pods get no stable DNS names. The headless Service db-headless selects its Pods: set serviceName to db-headless.",
        fixes: [
          "Set serviceName to db-headless (preferred): 121 db-hl -> db-headless"
        ]
      },
      {
        rule: "statefulset-service-not-headless",
        severity: "warning",
        at: "165 cache",
        message: "Service s/cache, the governing Service of StatefulSet s/cache, is not headless, so the per-Pod DNS names (cache-0.cache) are not created. Set clusterIP: None on it (or use a separate headless Service as serviceName).",
        related: [
          "183 cache: Service s/cache has clusterIP: 10.96.0.20"
        ]
      },
      {
        rule: "statefulset-service-not-headless",
        severity: "warning",
        at: "198 queue",
        message: "Service s/queue, the governing Service of StatefulSet s/queue, is not headless, so the per-Pod DNS names (queue-0.queue) are not created. Set clusterIP: None on it (or use a separate headless Service as serviceName).",
        related: [
          "216 queue: Service s/queue has a cluster IP"
        ]
      },
      {
        rule: "statefulset-service-missing",
        severity: "error",
        at: "230 orphan-hl",
        message: "serviceName orphan-hl of StatefulSet s/orphan names no Service in namespace s, so its Pods get no stable DNS names. Add a headless Service named orphan-hl that selects its Pods."
      },
      {
        rule: "service-selects-many-workloads",
        severity: "info",
        at: "292 tier: pair",
        message: "Selector tier=pair of Service s/pair matches the pods of 2 workloads: Deployment s/one and Deployment s/two. If only one should receive its traffic, add a label that tells them apart.",
        related: [
          "255 app: one: Deployment s/one is selected",
          "276 app: two: Deployment s/two is selected"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "295 7000",
        message: "targetPort 7000 of Service s/pair is not declared by any container of Deployment s/one (it declares 7001). Traffic is still sent to 7000; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "259 name: main: Deployment s/one declares 7001"
        ]
      },
      {
        rule: "service-target-port-missing",
        severity: "warning",
        at: "295 7000",
        message: "targetPort 7000 of Service s/pair is not declared by any container of Deployment s/two (it declares 7002). Traffic is still sent to 7000; declare the containerPort, or point targetPort at the port the container listens on.",
        related: [
          "280 name: main: Deployment s/two declares 7002"
        ]
      }
    ]);
  });

  it('a workload in two alternative files: the targetPort fix only when every copy declares the same one port', () => {
    const deploy = (ports: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: s
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
${ports}`;
    const service = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: s
spec:
  selector:
    app: api
  ports:
    - port: 80
      targetPort: 8080
`;
    const lint = (base: string, prod: string) => {
      const a = new Analysis();
      a.setFile('svc.yaml', service);
      a.setFile('base/deploy.yaml', deploy(base));
      a.setFile('prod/deploy.yaml', deploy(prod));
      return a
        .findings()
        .filter((f) => f.rule === 'service-target-port-missing')
        .map((f) => `${f.message}${f.fixes.filter((x) => !x.title.startsWith('Disable ')).map((x) => ` {${x.title}: ${x.edits.map((e) => e.newText).join()}}`).join('')}`);
    };
    const web = '            - name: web\n              containerPort: 9090\n';
    const dns = '            - name: dns\n              containerPort: 53\n              protocol: UDP\n';
    const said = 'targetPort 8080 of Service s/api is not declared by any container of Deployment s/api';
    // Both copies declare only web (and a UDP port): the fix names it.
    assert.deepEqual(lint(web + dns, web), [`${said} (it declares 9090 (web), 53/UDP (dns)). Traffic is still sent to 8080; declare the containerPort, or point targetPort at the port the container listens on. {Set targetPort to web: web}`]);
    // The copies declare different ports, or one declares two of TCP: no fix.
    assert.deepEqual(lint(web, web.replace('9090', '9091')), [`${said} (it declares 9090 (web)). Traffic is still sent to 8080; declare the containerPort, or point targetPort at the port the container listens on.`]);
    assert.deepEqual(lint(web, web + web.replace('web', 'alt').replace('9090', '9091')), [`${said} (it declares 9090 (web)). Traffic is still sent to 8080; declare the containerPort, or point targetPort at the port the container listens on.`]);
    // One copy declares 8080: the port counts as declared.
    assert.deepEqual(lint(web, '            - containerPort: 8080\n'), []);
  });
});

