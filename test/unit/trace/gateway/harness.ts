// Builds a model from Gateway API YAML (through the manifest reader, so the
// reader is under test too) on top of the conformance suite's base: namespace
// gateway-conformance-infra with Services infra-backend-v1..v3 (port 8080)
// and their Deployments, and the Gateway "same-namespace" (HTTP 80, routes
// from its own namespace), as the upstream suite's base manifests have them.
import { ModelIndex } from '../../../../src/core/model/model-index';
import type { NetworkModel } from '../../../../src/core/model/types';
import { buildModel, parseManifestFile } from '../../../../src/core/source/manifests';
import { matchGateway, requestOf, traceRequest, type TraceResult } from '../../../../src/core/trace';

const NS = 'gateway-conformance-infra';

function backend(name: string, ns = NS): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers: [{name: web, image: echo, ports: [{containerPort: 3000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {app: ${name}}
  ports: [{port: 8080, targetPort: 3000}]
`;
}

export const BASE = `apiVersion: v1
kind: Namespace
metadata: {name: ${NS}}
---
apiVersion: v1
kind: Namespace
metadata: {name: gateway-conformance-web-backend}
---
apiVersion: v1
kind: Namespace
metadata: {name: gateway-conformance-app-backend}
---
${backend('infra-backend-v1')}---
${backend('infra-backend-v2')}---
${backend('infra-backend-v3')}---
${backend('web-backend', 'gateway-conformance-web-backend')}---
${backend('app-backend-v1', 'gateway-conformance-app-backend')}`;

export const SAME_NAMESPACE_GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: same-namespace, namespace: ${NS}}
spec:
  gatewayClassName: conformance
  listeners:
    - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: Same}}}
`;

export interface Built {
  model: NetworkModel;
  index: ModelIndex;
}

/** The base, the same-namespace Gateway (unless `gateway` is false), and `yaml`. */
export function build(yaml: string, gateway = true): Built {
  const text = [BASE, gateway ? SAME_NAMESPACE_GATEWAY : '', yaml].filter((t) => t !== '').join('---\n');
  const model = buildModel([parseManifestFile('conformance.yaml', text, { defaultNamespace: NS })], NS);
  return { model, index: new ModelIndex(model) };
}

export interface Ask {
  method?: string;
  headers?: Record<string, string>;
}

/** The first backend Service (namespace/name) of the rule a request reaches, or the failure ("404", "no-listener"). */
export function backendFor(b: Built, url: string, ask: Ask = {}): string {
  const m = /^(https?):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)/.exec(url)!;
  const req = requestOf({ scheme: m[1] as 'http' | 'https', host: m[2].toLowerCase(), port: m[3] ? Number(m[3]) : undefined, path: m[4] || '/' }, url, ask.method, ask.headers);
  const r = matchGateway(b.model, req);
  if (!r.choice) return String(r.failure?.status ?? 'none');
  const ref = r.choice.rule.backendRefs[0];
  return ref ? `${ref.namespace}/${ref.service || ref.resource?.name}` : '(no backend)';
}

export function trace(b: Built, url: string, ask: Ask = {}): TraceResult {
  return traceRequest(b.model, b.index, { to: { kind: 'url', url, ...ask } });
}

export const v1 = `${NS}/infra-backend-v1`;
export const v2 = `${NS}/infra-backend-v2`;
export const v3 = `${NS}/infra-backend-v3`;
