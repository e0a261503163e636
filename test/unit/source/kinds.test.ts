// Every kind the manifest source reads: fields, API defaults, and exact
// source positions (a loc must cover exactly the value a fix would replace).
import assert from 'node:assert/strict';
import { parseManifestFile, type ParsedFile } from '../../../src/core/source/manifests';
import type {
  EndpointSlice,
  Ingress,
  IngressClass,
  Loc,
  ModelObject,
  Namespace,
  NetworkPolicy,
  Node,
  Route,
  Service,
  Workload,
} from '../../../src/core/model/types';

function parse(text: string, file = 'm.yaml'): ParsedFile {
  return parseManifestFile(file, text, { defaultNamespace: 'default' });
}

function only<T extends ModelObject>(text: string, file = 'm.yaml'): T {
  const parsed = parse(text, file);
  assert.deepEqual(parsed.findings, []);
  assert.equal(parsed.objects.length, 1, `expected one object, got ${parsed.objects.map((o) => o.kind).join(', ')}`);
  return parsed.objects[0] as T;
}

/** The text a loc covers (and it must be in the named file). */
function at(text: string, loc: Loc | undefined, file = 'm.yaml'): string {
  assert.ok(loc, 'loc is missing');
  assert.equal(loc.file, file);
  return text.slice(loc.start, loc.end);
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    tier: front
  annotations:
    note: "x"
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
    matchExpressions:
      - key: track
        operator: NotIn
        values: [canary]
  template:
    metadata:
      labels:
        app: web
        track: stable
    spec:
      hostNetwork: true
      initContainers:
        - name: init
          image: busybox
      containers:
        - name: app
          image: nginx
          ports:
            - name: http
              containerPort: 8080
            - containerPort: 9090
              protocol: UDP
          livenessProbe:
            httpGet:
              port: http
          readinessProbe:
            tcpSocket:
              port: 8080
          startupProbe:
            grpc:
              port: 9000
        - name: sidecar
          image: envoy
`;

describe('manifest source: workloads', () => {
  it('reads a Deployment: metadata, selector, template labels, containers, ports, probes', () => {
    const w = only<Workload>(deployment);
    assert.equal(w.kind, 'Deployment');
    assert.equal(w.id, 'm.yaml#0');
    assert.equal(w.name, 'web');
    assert.equal(w.namespace, 'default');
    assert.equal(w.namespaceDefaulted, true);
    assert.deepEqual(w.labels, { tier: 'front' });
    assert.deepEqual(w.annotations, { note: 'x' });
    assert.equal(w.replicas, 3);
    assert.equal(w.hostNetwork, true);
    assert.deepEqual(w.pods, []);
    assert.deepEqual(w.podLabels, { app: 'web', track: 'stable' });
    assert.equal(at(deployment, w.podLabelsLoc), 'app: web\n        track: stable');
    assert.deepEqual(w.selector?.matchLabels, { app: 'web' });
    assert.deepEqual(w.selector?.matchExpressions, [{ key: 'track', operator: 'NotIn', values: ['canary'] }]);
    assert.equal(at(deployment, w.selector?.valueLocs?.app), 'web');
    assert.ok(at(deployment, w.selector?.loc).startsWith('matchLabels:'));
    assert.equal(at(deployment, w.origin.nameLoc), 'web');
    assert.equal(w.origin.loc?.start, 0);
    assert.equal(w.origin.loc?.end, deployment.trimEnd().length);
    assert.equal(w.origin.file, 'm.yaml');
    assert.equal(w.origin.doc, 0);

    assert.deepEqual(
      w.containers.map((c) => [c.name, c.init]),
      [
        ['app', false],
        ['sidecar', false],
        ['init', true],
      ],
    );
    const app = w.containers[0];
    assert.ok(at(deployment, app.loc).startsWith('name: app'));
    assert.equal(app.ports.length, 2);
    assert.equal(app.ports[0].name, 'http');
    assert.equal(app.ports[0].containerPort, 8080);
    assert.equal(app.ports[0].protocol, 'TCP');
    assert.equal(at(deployment, app.ports[0].nameLoc), 'http');
    assert.equal(at(deployment, app.ports[0].loc), 'name: http\n              containerPort: 8080');
    assert.equal(app.ports[1].name, undefined);
    assert.equal(app.ports[1].protocol, 'UDP');
    assert.deepEqual(
      app.probes.map((p) => [p.probe, p.handler, p.port, at(deployment, p.loc)]),
      [
        ['liveness', 'httpGet', 'http', 'http'],
        ['readiness', 'tcpSocket', 8080, '8080'],
        ['startup', 'grpc', 9000, '9000'],
      ],
    );
  });

  it('defaults replicas to 1 where the kind has them, and leaves them out where it does not', () => {
    const d = only<Workload>('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}}\n');
    assert.equal(d.replicas, 1);
    const ds = only<Workload>('apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec:\n  selector: {matchLabels: {a: b}}\n  template: {metadata: {labels: {a: b}}}\n');
    assert.equal(ds.replicas, undefined);
    assert.equal('replicas' in ds, false);
  });

  it('reads a StatefulSet serviceName with its loc', () => {
    const text = 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: "db-headless"\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n';
    const s = only<Workload>(text);
    assert.equal(s.serviceName, 'db-headless');
    assert.equal(at(text, s.serviceNameLoc), '"db-headless"');
    assert.equal(at(text, s.selector?.valueLocs?.app), 'db');
  });

  it('reads a bare Pod as a workload with its own labels and no selector', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels:\n    app: p\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: 80\n';
    const p = only<Workload>(text);
    assert.equal(p.kind, 'Pod');
    assert.equal(p.namespace, 'shop');
    assert.equal(p.namespaceDefaulted, false);
    assert.deepEqual(p.podLabels, { app: 'p' });
    assert.equal(at(text, p.podLabelsLoc), 'app: p');
    assert.equal(p.selector, undefined);
    assert.equal(p.replicas, undefined);
    assert.equal(p.containers[0].ports[0].containerPort, 80);
  });

  it('reads a CronJob through spec.jobTemplate.spec.template', () => {
    const text = 'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cj}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {job: cj}\n        spec:\n          containers:\n          - name: run\n';
    const c = only<Workload>(text);
    assert.equal(c.kind, 'CronJob');
    assert.deepEqual(c.podLabels, { job: 'cj' });
    assert.equal(c.containers[0].name, 'run');
    assert.equal(c.selector, undefined);
  });

  it('reads a Job without a written selector as having none (the API generates it)', () => {
    const j = only<Workload>('apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c}]}\n');
    assert.equal(j.kind, 'Job');
    assert.equal(j.selector, undefined);
  });

  it('reads a ReplicationController plain-map selector with value locs', () => {
    const text = 'apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n  replicas: 2\n  selector:\n    app: redis\n  template:\n    metadata:\n      labels:\n        app: redis\n';
    const rc = only<Workload>(text);
    assert.deepEqual(rc.selector?.matchLabels, { app: 'redis' });
    assert.deepEqual(rc.selector?.matchExpressions, []);
    assert.equal(at(text, rc.selector?.valueLocs?.app), 'redis');
    assert.equal(at(text, rc.selector?.loc), 'app: redis');
    assert.equal(rc.replicas, 2);
  });

  it('defaults a ReplicationController selector to the template labels when it is not written', () => {
    const rc = only<Workload>('apiVersion: v1\nkind: ReplicationController\nmetadata: {name: rc}\nspec:\n  template:\n    metadata:\n      labels: {app: x}\n');
    assert.deepEqual(rc.selector?.matchLabels, { app: 'x' });
    assert.equal(rc.selector?.loc, undefined);
  });

  it('reads an OpenShift DeploymentConfig (plain-map selector)', () => {
    const dc = only<Workload>('apiVersion: apps.openshift.io/v1\nkind: DeploymentConfig\nmetadata: {name: dc}\nspec:\n  selector: {app: dc}\n  template:\n    metadata:\n      labels: {app: dc}\n');
    assert.equal(dc.kind, 'DeploymentConfig');
    assert.deepEqual(dc.selector?.matchLabels, { app: 'dc' });
  });

  it('leaves out a container port without an integer containerPort, reporting a quoted one', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports:\n    - name: x\n    - containerPort: "80"\n    - containerPort: 81\n';
    const parsed = parseManifestFile('m.yaml', text, { defaultNamespace: 'default' });
    const w = parsed.objects[0] as Workload;
    assert.deepEqual(
      w.containers[0].ports.map((p) => p.containerPort),
      [81],
    );
    assert.deepEqual(
      parsed.findings.map((f) => [f.rule, at(text, f.loc), f.fixes[0]?.edits[0].newText]),
      [['manifest-invalid-value', '"80"', '80']],
    );
    assert.match(parsed.findings[0].message, /containerPort is "80", but it must be a whole number/);
  });
});

describe('manifest source: services and endpoints', () => {
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: NodePort
  selector:
    app: web
    tier: "front"
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 30080
    - port: 443
      targetPort: 8443
      protocol: TCP
    - port: 8080
      targetPort: "8080"
      protocol: UDP
  externalTrafficPolicy: Local
  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP:
      timeoutSeconds: 600
  externalIPs: [1.2.3.4]
  ipFamilies: [IPv4]
  publishNotReadyAddresses: true
  internalTrafficPolicy: Cluster
status:
  loadBalancer:
    ingress:
      - ip: 5.6.7.8
      - hostname: lb.example.com
`;

  it('reads a Service with every field and exact locs', () => {
    const s = only<Service>(svc);
    assert.equal(s.type, 'NodePort');
    assert.equal(at(svc, s.typeLoc), 'NodePort');
    assert.equal(s.namespace, 'shop');
    assert.equal(s.headless, false);
    assert.deepEqual(s.clusterIPs, []);
    assert.deepEqual(s.selector?.matchLabels, { app: 'web', tier: 'front' });
    assert.deepEqual(s.selector?.matchExpressions, []);
    assert.equal(at(svc, s.selector?.valueLocs?.app), 'web');
    assert.equal(at(svc, s.selector?.valueLocs?.tier), '"front"');
    assert.equal(at(svc, s.selector?.loc), 'app: web\n    tier: "front"');
    assert.ok(at(svc, s.portsLoc).startsWith('- name: http'));
    assert.equal(s.ports.length, 3);
    const [http, https, udp] = s.ports;
    assert.equal(http.name, 'http');
    assert.equal(at(svc, http.nameLoc), 'http');
    assert.equal(http.port, 80);
    assert.equal(at(svc, http.portLoc), '80');
    assert.equal(http.targetPort, 'http');
    assert.equal(at(svc, http.targetPortLoc), 'http');
    assert.equal(http.nodePort, 30080);
    assert.equal(at(svc, http.nodePortLoc), '30080');
    assert.equal(http.protocol, 'TCP');
    assert.equal(at(svc, http.loc), 'name: http\n      port: 80\n      targetPort: http\n      nodePort: 30080');
    assert.equal(https.targetPort, 8443);
    assert.equal(at(svc, https.targetPortLoc), '8443');
    // A quoted number is a string in the API's IntOrString.
    assert.equal(udp.targetPort, '8080');
    assert.equal(at(svc, udp.targetPortLoc), '"8080"');
    assert.equal(udp.protocol, 'UDP');
    assert.equal(s.externalTrafficPolicy, 'Local');
    assert.equal(at(svc, s.externalTrafficPolicyLoc), 'Local');
    assert.equal(s.internalTrafficPolicy, 'Cluster');
    assert.equal(s.sessionAffinity, 'ClientIP');
    assert.equal(s.sessionAffinityTimeoutSeconds, 600);
    assert.deepEqual(s.externalIPs, ['1.2.3.4']);
    assert.deepEqual(s.ipFamilies, ['IPv4']);
    assert.equal(s.publishNotReadyAddresses, true);
    assert.deepEqual(s.loadBalancerIPs, ['5.6.7.8', 'lb.example.com']);
  });

  it('defaults type, protocol, affinity; keeps an absent targetPort undefined', () => {
    const s = only<Service>('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n');
    assert.equal(s.type, 'ClusterIP');
    assert.equal(s.typeLoc, undefined);
    assert.equal(s.sessionAffinity, 'None');
    assert.equal(s.ports[0].protocol, 'TCP');
    assert.equal(s.ports[0].targetPort, undefined);
    assert.equal(s.externalTrafficPolicy, undefined);
    assert.equal(s.selector, undefined, 'no selector written: undefined');
  });

  it('tells an empty selector from an absent one', () => {
    const s = only<Service>('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  selector: {}\n  ports: [{port: 80}]\n');
    assert.ok(s.selector);
    assert.deepEqual(s.selector.matchLabels, {});
  });

  it('reads a headless Service and copies clusterIP into clusterIPs', () => {
    const s = only<Service>('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: None\n  selector: {app: db}\n');
    assert.equal(s.headless, true);
    assert.equal(s.clusterIP, 'None');
    assert.deepEqual(s.clusterIPs, ['None']);
  });

  it('reads clusterIP "" (allocate one) as not written', () => {
    const s = only<Service>('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: ""\n');
    assert.equal(s.clusterIP, undefined);
    assert.deepEqual(s.clusterIPs, []);
    assert.equal(s.headless, false);
  });

  it('reads an ExternalName Service', () => {
    const s = only<Service>('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: ExternalName\n  externalName: db.example.com\n');
    assert.equal(s.type, 'ExternalName');
    assert.equal(s.externalName, 'db.example.com');
  });

  it('does not read a Knative Service (another API group) as a Service', () => {
    const parsed = parse('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec: {}\n');
    assert.deepEqual(parsed.objects, []);
    assert.deepEqual(parsed.findings, []);
  });

  it('flattens a legacy Endpoints object whose subsets share their ports', () => {
    const text = 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: ext}\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n    nodeName: n1\n    targetRef: {kind: Pod, name: p1}\n  notReadyAddresses:\n  - ip: 10.0.0.2\n  ports:\n  - port: 5432\n    name: pg\n- addresses:\n  - ip: 10.0.0.3\n  ports:\n  - name: pg\n    port: 5432\n';
    const objects = parse(text).objects as EndpointSlice[];
    assert.equal(objects.length, 1);
    const e = objects[0];
    assert.equal(e.kind, 'Endpoints');
    assert.equal(e.id, 'm.yaml#0');
    assert.equal(e.serviceName, 'ext');
    assert.equal(e.addressType, 'IPv4');
    assert.deepEqual(e.ports, [{ name: 'pg', port: 5432, protocol: 'TCP' }]);
    assert.deepEqual(e.endpoints, [
      { addresses: ['10.0.0.1'], ready: true, serving: true, terminating: false, nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'default', name: 'p1' } },
      { addresses: ['10.0.0.2'], ready: false, serving: false, terminating: false },
      { addresses: ['10.0.0.3'], ready: true, serving: true, terminating: false },
    ]);
  });

  it('keeps Endpoints subsets with different ports apart', () => {
    const text = 'apiVersion: v1\nkind: Endpoints\nmetadata: {name: ext}\nsubsets:\n- addresses: [{ip: 10.0.0.1}]\n  ports: [{port: 80}]\n- addresses: [{ip: 10.0.0.2}]\n  ports: [{port: 8080}]\n';
    const objects = parse(text).objects as EndpointSlice[];
    assert.deepEqual(
      objects.map((o) => [o.id, o.endpoints[0].addresses[0], o.ports[0].port]),
      [
        ['m.yaml#0/subsets/0', '10.0.0.1', 80],
        ['m.yaml#0/subsets/1', '10.0.0.2', 8080],
      ],
    );
  });

  it('reads an EndpointSlice with condition defaults', () => {
    const text = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-abc
  labels:
    kubernetes.io/service-name: web
addressType: IPv6
ports:
  - name: http
    port: 8080
    protocol: TCP
endpoints:
  - addresses: ["fd00::1"]
    conditions: {ready: false, serving: true, terminating: true}
    nodeName: n1
    zone: z1
  - addresses: ["fd00::2"]
`;
    const e = only<EndpointSlice>(text);
    assert.equal(e.kind, 'EndpointSlice');
    assert.equal(e.serviceName, 'web');
    assert.equal(e.addressType, 'IPv6');
    assert.deepEqual(e.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(e.endpoints, [
      { addresses: ['fd00::1'], ready: false, serving: true, terminating: true, nodeName: 'n1', zone: 'z1' },
      { addresses: ['fd00::2'], ready: true, serving: true, terminating: false },
    ]);
  });
});

describe('manifest source: ingress and routes', () => {
  const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: fallback
      port:
        number: 80
  tls:
    - hosts:
        - shop.example.com
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api
            pathType: Prefix
            backend:
              service:
                name: api
                port:
                  name: http
          - path: /static
            pathType: Exact
            backend:
              resource:
                apiGroup: k8s.example.com
                kind: Bucket
                name: assets
    - http:
        paths:
          - backend:
              service:
                name: web
                port:
                  number: 8080
`;

  it('reads a networking.k8s.io/v1 Ingress with exact locs', () => {
    const i = only<Ingress>(ingress);
    assert.equal(i.className, 'nginx');
    assert.equal(at(ingress, i.classNameLoc), 'nginx');
    assert.equal(i.defaultBackend?.service, 'fallback');
    assert.equal(i.defaultBackend?.port, 80);
    assert.equal(at(ingress, i.defaultBackend?.serviceLoc), 'fallback');
    assert.equal(at(ingress, i.defaultBackend?.portLoc), '80');
    assert.deepEqual(i.tls.map((t) => [t.hosts, t.secretName]), [[['shop.example.com'], 'shop-tls']]);
    assert.equal(at(ingress, i.tls[0].hostLocs[0]), 'shop.example.com');
    assert.ok(at(ingress, i.tls[0].loc).startsWith('hosts:'));
    assert.equal(i.rules.length, 2);
    const [r1, r2] = i.rules;
    assert.equal(r1.host, 'shop.example.com');
    assert.equal(at(ingress, r1.hostLoc), 'shop.example.com');
    assert.ok(at(ingress, r1.loc).startsWith('host: shop.example.com'));
    assert.deepEqual(
      r1.paths.map((p) => [p.path, p.pathType, p.backend.service, p.backend.port]),
      [
        ['/api', 'Prefix', 'api', 'http'],
        ['/static', 'Exact', '', undefined],
      ],
    );
    assert.equal(at(ingress, r1.paths[0].backend.serviceLoc), 'api');
    assert.equal(at(ingress, r1.paths[0].backend.portLoc), 'http');
    assert.ok(at(ingress, r1.paths[0].backend.loc).startsWith('service:'));
    assert.ok(at(ingress, r1.paths[0].loc).startsWith('path: /api'));
    assert.deepEqual(r1.paths[1].backend.resource, { kind: 'Bucket', namespace: 'default', name: 'assets' });
    assert.equal(r2.host, undefined);
    assert.deepEqual(
      r2.paths.map((p) => [p.path, p.pathType, p.backend.service, p.backend.port]),
      [['', 'ImplementationSpecific', 'web', 8080]],
    );
  });

  it('reads the v1beta1 shape: serviceName/servicePort, backend, class annotation', () => {
    const text = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
  annotations:
    kubernetes.io/ingress.class: "nginx"
spec:
  backend:
    serviceName: default-http
    servicePort: 80
  rules:
  - host: old.example.com
    http:
      paths:
      - path: /
        backend:
          serviceName: web
          servicePort: http
`;
    const i = only<Ingress>(text);
    assert.equal(i.className, 'nginx');
    assert.equal(at(text, i.classNameLoc), '"nginx"');
    assert.equal(i.defaultBackend?.service, 'default-http');
    assert.equal(i.defaultBackend?.port, 80);
    assert.equal(at(text, i.defaultBackend?.portLoc), '80');
    const p = i.rules[0].paths[0];
    assert.equal(p.pathType, 'ImplementationSpecific');
    assert.equal(p.backend.service, 'web');
    assert.equal(p.backend.port, 'http');
    assert.equal(at(text, p.backend.serviceLoc), 'web');
    assert.equal(at(text, p.backend.portLoc), 'http');
  });

  it('reads an IngressClass and its default annotation', () => {
    const c = only<IngressClass>('apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\nspec:\n  controller: k8s.io/ingress-nginx\n');
    assert.equal(c.isDefault, true);
    assert.equal(c.controller, 'k8s.io/ingress-nginx');
    assert.equal(c.namespace, '', 'cluster-scoped');
    assert.equal(c.namespaceDefaulted, false);
    const d = only<IngressClass>('apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: other}\nspec: {controller: x}\n');
    assert.equal(d.isDefault, false);
  });

  it('reads an HTTPRoute with Gateway API defaults', () => {
    const text = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
  namespace: shop
spec:
  parentRefs:
  - name: gw
    namespace: infra
  hostnames: ["shop.example.com"]
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /api
    backendRefs:
    - name: api
      port: 8080
      weight: 90
    - name: api-canary
      namespace: canary
      port: 8080
    - group: example.com
      kind: Bucket
      name: b
`;
    const r = only<Route>(text);
    assert.equal(r.kind, 'HTTPRoute');
    assert.deepEqual(r.hostnames, ['shop.example.com']);
    assert.deepEqual(
      r.parentRefs.map(({ loc: _loc, ...ref }) => ref),
      [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', namespace: 'infra', name: 'gw' }],
    );
    assert.ok(at(text, r.parentRefs[0].loc).startsWith('name: gw'));
    const rule = r.rules[0];
    assert.deepEqual(
      rule.matches.map((m) => [m.pathType, m.path]),
      [['PathPrefix', '/api']],
    );
    assert.deepEqual(
      rule.backendRefs.map((b) => [b.service, b.namespace, b.kind, b.port, b.weight]),
      [
        ['api', 'shop', 'Service', 8080, 90],
        ['api-canary', 'canary', 'Service', 8080, 1],
        ['', 'shop', 'Bucket', undefined, 1],
      ],
    );
    assert.equal(at(text, rule.backendRefs[0].serviceLoc), 'api');
    assert.equal(at(text, rule.backendRefs[0].portLoc), '8080');
    assert.ok(at(text, rule.backendRefs[0].loc).startsWith('name: api'));
    assert.deepEqual(rule.backendRefs[2].resource, { kind: 'Bucket', namespace: 'shop', name: 'b' });
  });

  it('reads a GRPCRoute', () => {
    const r = only<Route>('apiVersion: gateway.networking.k8s.io/v1\nkind: GRPCRoute\nmetadata: {name: g}\nspec:\n  rules:\n  - backendRefs:\n    - name: grpc\n      port: 50051\n');
    assert.equal(r.kind, 'GRPCRoute');
    assert.equal(r.rules[0].backendRefs[0].service, 'grpc');
    assert.equal(r.rules[0].backendRefs[0].namespace, 'default');
  });
});

describe('manifest source: network policies', () => {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
spec:
  podSelector:
    matchLabels:
      app: db
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: api
          namespaceSelector:
            matchExpressions:
              - {key: team, operator: In, values: [a, b]}
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [10.1.0.0/16]
      ports:
        - port: 5432
        - port: metrics
          protocol: UDP
        - port: 30000
          endPort: 32767
    - {}
  egress:
    - to:
        - namespaceSelector: {}
`;

  it('reads peers, ports, selectors with locs, and defaults policyTypes', () => {
    const p = only<NetworkPolicy>(policy);
    assert.deepEqual(p.podSelector.matchLabels, { app: 'db' });
    assert.equal(at(policy, p.podSelector.valueLocs?.app), 'db');
    assert.deepEqual(p.policyTypes, ['Ingress', 'Egress']);
    assert.equal(p.ingress.length, 2);
    const [r1, r2] = p.ingress;
    assert.equal(r1.peers.length, 2);
    assert.deepEqual(r1.peers[0].podSelector?.matchLabels, { app: 'api' });
    assert.deepEqual(r1.peers[0].namespaceSelector?.matchExpressions, [{ key: 'team', operator: 'In', values: ['a', 'b'] }]);
    assert.ok(at(policy, r1.peers[0].loc).startsWith('podSelector:'));
    assert.deepEqual(r1.peers[1].ipBlock, { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] });
    assert.deepEqual(
      r1.ports.map((x) => [x.protocol, x.port, x.endPort]),
      [
        ['TCP', 5432, undefined],
        ['UDP', 'metrics', undefined],
        ['TCP', 30000, 32767],
      ],
    );
    assert.equal(at(policy, r1.ports[0].loc), 'port: 5432');
    // `- {}`: one rule that allows everything (empty peers = all, empty ports = all).
    assert.deepEqual(r2.peers, []);
    assert.deepEqual(r2.ports, []);
    assert.equal(at(policy, r2.loc), '{}');
    assert.equal(p.egress.length, 1);
    assert.deepEqual(p.egress[0].peers[0].namespaceSelector?.matchLabels, {});
  });

  it('tells "no rules" (deny) from "one empty rule" (allow all), and defaults policyTypes to Ingress', () => {
    const deny = only<NetworkPolicy>('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec:\n  podSelector: {}\n  ingress: []\n  egress: []\n');
    assert.deepEqual(deny.ingress, []);
    assert.deepEqual(deny.policyTypes, ['Ingress'], 'an empty egress list does not add Egress');
    const none = only<NetworkPolicy>('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: none}\nspec:\n  podSelector: {}\n');
    assert.deepEqual(none.ingress, []);
    assert.deepEqual(none.policyTypes, ['Ingress']);
    assert.deepEqual(none.podSelector.matchLabels, {});
  });

  it('reports a policyType the API rejects, with a fix for the wrong case', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: e}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, egress]\n';
    const parsed = parseManifestFile('m.yaml', text, { defaultNamespace: 'default' });
    assert.deepEqual((parsed.objects[0] as NetworkPolicy).policyTypes, ['Ingress']);
    assert.deepEqual(
      parsed.findings.map((f) => [f.rule, at(text, f.loc), f.fixes[0]?.edits[0].newText]),
      [['manifest-invalid-value', 'egress', 'Egress']],
    );
  });

  it('keeps written policyTypes', () => {
    const p = only<NetworkPolicy>('apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: e}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n');
    assert.deepEqual(p.policyTypes, ['Egress']);
    assert.deepEqual(p.egress, []);
  });
});

describe('manifest source: cluster-scoped kinds', () => {
  it('reads a Namespace (no namespace of its own)', () => {
    const n = only<Namespace>('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {team: a}\n');
    assert.equal(n.kind, 'Namespace');
    assert.equal(n.name, 'shop');
    assert.equal(n.namespace, '');
    assert.deepEqual(n.labels, { team: 'a' });
  });

  it('reads a Node: addresses, pod CIDRs, readiness', () => {
    const n = only<Node>(`apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {podCIDR: 10.244.1.0/24}
status:
  addresses:
  - {type: InternalIP, address: 192.168.0.10}
  conditions:
  - {type: MemoryPressure, status: "False"}
  - {type: Ready, status: "True"}
`);
    assert.deepEqual(n.addresses, [{ type: 'InternalIP', address: '192.168.0.10' }]);
    assert.deepEqual(n.podCIDRs, ['10.244.1.0/24']);
    assert.equal(n.ready, true);
  });
});
