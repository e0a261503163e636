// The trace engine: how one request travels, hop by hop, as data.
//
//   traceRequest(model, index, { from, to, proxyMode, clusterCIDR }) -> TraceResult
//
// The stages, each in its own module: the question and the path it takes
// (./request), the source (./source), DNS (./dns, ./service-dns), the way in
// (a URL through an Ingress or a Gateway: ./url-entry, ./ingress-match,
// ./gateway; a Service's address: ./service-entry), endpoint selection
// (./endpoints), kube-proxy (./service-kube-proxy, ./kube-proxy-hops over
// ./kube-proxy-model, ./kube-proxy-path and its modes), a headless Service
// (./service-headless),
// NetworkPolicy at both ends (./endpoint-policy over ../policy), routing,
// delivery and the reply (./routing, ./delivery); and the paths without a
// Service: out of the cluster (./egress), Pod to Pod and localhost
// (./pod-to-pod). A trace that cannot complete says where and why
// (`unresolved`).
export { traceRequest } from './request';
export type * from './types';
export { parseUrl, matchIngress, hostMatches, pathMatches } from './ingress-match';
export type { IngressMatch, IngressMatchResult, ParsedUrl } from './ingress-match';
export { matchGateway, requestOf, chooseListeners } from './gateway/match';
export type { GatewayMatchResult, GatewayRequest, RuleChoice, ListenerChoice } from './gateway/match';
export { judgeRoute, attachments } from './gateway/attach';
export type { Attachment, ParentVerdict, ListenerVerdict } from './gateway/attach';
export { hostnameMatches, intersectHostname } from './gateway/hostnames';
export { weighBackends, referenceGrantFor } from './gateway/backends';
export { modifyPath, redirectLocation } from './gateway/filters';
export { routeRuleRequests } from './gateway/urls';
export type { RouteRuleRequest } from './gateway/urls';
export { portProtoHash, servicePortName, svcChain, sepChain, extChain, svlChain, fwChain, ruleProbability, endpointShare, iptablesSaveProbability } from './chains';
export { collectBackends, usableBackends, resolveTargetPort } from './endpoints';
export { PROXY_MODES } from './types';
