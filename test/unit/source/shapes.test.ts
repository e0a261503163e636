// Any value of any field may be written with the wrong shape (null, a list
// where a map belongs, a number where a list belongs...). The reader must
// never fail on that: each such manifest reads without an internal error.
import assert from 'node:assert/strict';
import { parseManifestFile } from '../../../src/core/source/manifests';

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app: web
  annotations:
    kubernetes.io/ingress.class: nginx
spec:
  replicas: 2
  serviceName: web
  selector:
    matchLabels:
      app: web
    matchExpressions:
    - key: tier
      operator: In
      values:
      - a
  template:
    metadata:
      labels:
        app: web
    spec:
      hostNetwork: false
      initContainers:
      - name: init
      containers:
      - name: app
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        readinessProbe:
          httpGet:
            port: http
          grpc:
            port: 9000
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  clusterIP: 10.0.0.1
  clusterIPs:
  - 10.0.0.1
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
    protocol: TCP
    appProtocol: http
  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP:
      timeoutSeconds: 10
  externalTrafficPolicy: Local
  externalIPs:
  - 1.2.3.4
status:
  loadBalancer:
    ingress:
    - ip: 1.1.1.1
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: web
      port:
        number: 80
  tls:
  - hosts:
    - a.example.com
    secretName: tls
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          serviceName: web
          servicePort: 80
          resource:
            kind: Bucket
            name: b
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: np
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
  - Ingress
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: api
      ipBlock:
        cidr: 10.0.0.0/8
        except:
        - 10.1.0.0/16
    ports:
    - port: 80
      endPort: 90
      protocol: TCP
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: r
spec:
  hostnames:
  - a.example.com
  parentRefs:
  - name: gw
  rules:
  - matches:
    - path:
        type: PathPrefix
        value: /
    backendRefs:
    - name: web
      port: 80
      weight: 1
---
apiVersion: v1
kind: Endpoints
metadata:
  name: web
subsets:
- addresses:
  - ip: 10.0.0.2
    targetRef:
      kind: Pod
      name: p
  ports:
  - port: 80
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
addressType: IPv4
endpoints:
- addresses:
  - 10.0.0.3
  conditions:
    ready: true
ports:
- port: 80
---
apiVersion: v1
kind: Node
metadata:
  name: n
spec:
  podCIDRs:
  - 10.244.0.0/24
status:
  addresses:
  - type: InternalIP
    address: 10.0.0.9
  conditions:
  - type: Ready
    status: "True"
`;

const REPLACEMENTS = ['', '~', '[]', '{}', '[~]', '[{}]', '[[]]', '"text"', '7', 'true', '{a: [1]}', '[a, {b: c}]'];

describe('manifest source: wrong shapes never break the reader', () => {
  it('reads the unmodified manifests without a finding', () => {
    const parsed = parseManifestFile('m.yaml', manifests, { defaultNamespace: 'default' });
    assert.deepEqual(parsed.findings, []);
    assert.equal(parsed.objects.length, 8);
  });

  it('survives every field replaced by every wrong shape', () => {
    const lines = manifests.split('\n');
    let variants = 0;
    for (let i = 0; i < lines.length; i++) {
      // "key: value" or "key:" (a value written below): replace the value.
      const m = /^(\s*(?:- )?[A-Za-z][\w.\-/]*:)(.*)$/.exec(lines[i]);
      if (!m) continue;
      const indent = /^\s*/.exec(lines[i])?.[0].length ?? 0;
      // Also: a block list with an empty item, and one whose item is a list.
      const below = ' '.repeat(indent + 2);
      for (const r of [...REPLACEMENTS, `\n${below}-`, `\n${below}- - x`]) {
        const copy = lines.slice();
        copy[i] = `${m[1]} ${r}`;
        // Drop the block that belonged to a value written below (deeper indented lines).
        let j = i + 1;
        while (j < lines.length && lines[j].trim() !== '' && (/^\s*/.exec(lines[j])?.[0].length ?? 0) > indent && !lines[j].startsWith('---')) j++;
        copy.splice(i + 1, j - i - 1);
        const text = copy.join('\n');
        const parsed = parseManifestFile('m.yaml', text, { defaultNamespace: 'default' });
        const broken = parsed.findings.filter((f) => f.rule === 'yaml-syntax' && /could not be read/.test(f.message));
        assert.deepEqual(broken, [], `line ${i + 1} as ${JSON.stringify(copy[i])}`);
        for (const f of parsed.findings) assert.ok(f.loc.start >= 0 && f.loc.end <= text.length && f.loc.start <= f.loc.end);
        variants++;
      }
    }
    assert.ok(variants > 1000, `${variants} variants`);
  });
});
