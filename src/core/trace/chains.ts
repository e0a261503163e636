// kube-proxy's iptables chain names and probabilities, as kube-proxy computes
// them (pkg/proxy/iptables/proxier.go):
//
//   portProtoHash(servicePortName, protocol) =
//       base32.StdEncoding(sha256(servicePortName + protocol))[:16]
//   KUBE-SVC-<portProtoHash>   dispatch for Cluster traffic policy
//   KUBE-SVL-<portProtoHash>   dispatch for Local traffic policy (before 1.25: KUBE-XLB-)
//   KUBE-EXT-<portProtoHash>   external destinations (NodePort, LB, externalIPs)
//   KUBE-FW-<portProtoHash>    loadBalancerSourceRanges firewall
//   KUBE-SEP-<base32(sha256(servicePortName + protocol + endpoint))[:16]>
//
// servicePortName is ServicePortName.String(): "<namespace>/<name>" plus
// ":<port name>" when the port is named; protocol is lower case ("tcp");
// endpoint is "<ip>:<port>". Checked against upstream's own test data:
// "ns1/svc1:p80" tcp -> KUBE-SVC-XPGD46QRK7WJZT7O, its endpoint 10.180.0.1:80
// -> KUBE-SEP-SXIVWICOYRO3J4NJ, "default/kubernetes:https" tcp ->
// KUBE-SVC-NPX46M4PTMTKRN6Y (see test/unit/trace/chains.test.ts).
//
// Probabilities: endpoint i (0-based) of n gets `--probability 1/(n-i)`
// written as "%0.10f"; the last rule has no statistic match. The kernel keeps
// the probability as a u32 (lround(p * 2^31)) and iptables-save prints it back
// as "%.11f", which is why 1/3 reads 0.33333333349 in `iptables-save`.
import type { Protocol } from '../model/types';
import { base32, sha256, utf8 } from './sha256';

export function servicePortName(namespace: string, name: string, portName?: string): string {
  return `${namespace}/${name}${portName ? `:${portName}` : ''}`;
}

export function portProtoHash(spn: string, protocol: Protocol): string {
  return base32(sha256(utf8(spn + protocol.toLowerCase()))).slice(0, 16);
}

export function svcChain(spn: string, protocol: Protocol): string {
  return `KUBE-SVC-${portProtoHash(spn, protocol)}`;
}
export function svlChain(spn: string, protocol: Protocol): string {
  return `KUBE-SVL-${portProtoHash(spn, protocol)}`;
}
export function extChain(spn: string, protocol: Protocol): string {
  return `KUBE-EXT-${portProtoHash(spn, protocol)}`;
}
export function fwChain(spn: string, protocol: Protocol): string {
  return `KUBE-FW-${portProtoHash(spn, protocol)}`;
}
export function sepChain(spn: string, protocol: Protocol, endpoint: string): string {
  return `KUBE-SEP-${base32(sha256(utf8(spn + protocol.toLowerCase() + endpoint))).slice(0, 16)}`;
}

/** What kube-proxy writes for endpoint i of n (0-based); undefined for the last (unconditional) rule. */
export function ruleProbability(i: number, n: number): number | undefined {
  return i < n - 1 ? 1 / (n - i) : undefined;
}

/** kube-proxy's text: fmt.Sprintf("%0.10f", p). */
export function kubeProxyProbability(p: number): string {
  return p.toFixed(10);
}

/** iptables-save's text for what kube-proxy wrote: the u32 the kernel keeps, printed "%.11f". */
export function iptablesSaveProbability(p: number): string {
  const written = Number(kubeProxyProbability(p));
  const u32 = Math.round(written * 0x80000000);
  return (u32 / 0x80000000).toFixed(11);
}

/** The share of requests endpoint i gets: its probability times the chance every earlier rule missed. */
export function endpointShare(i: number, n: number): number {
  let miss = 1;
  for (let j = 0; j < i; j++) miss *= 1 - (ruleProbability(j, n) ?? 1);
  return miss * (ruleProbability(i, n) ?? 1);
}

/** iptables-save quotes a comment only when it has spaces. */
export function comment(text: string): string {
  return /[\s"]/.test(text) ? `"${text.replace(/"/g, '\\"')}"` : text;
}
