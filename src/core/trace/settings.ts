// The `kni.trace.*` settings as any editor sends them (a value of the wrong
// type or form falls back to the default, as VS Code ignores it).
import { PROXY_MODES, type ProxyMode } from './types';

/** `kni.trace.proxyMode`: the kube-proxy mode whose rules traces print (default iptables). */
export function proxyModeOf(v: unknown): ProxyMode {
  return PROXY_MODES.includes(v as ProxyMode) ? (v as ProxyMode) : 'iptables';
}

/** `kni.trace.clusterDomain`: a usable domain without its trailing dot; anything else is the default (undefined). */
export function clusterDomainOf(v: unknown): string | undefined {
  const d = typeof v === 'string' ? v.trim().replace(/\.$/, '') : '';
  return /^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?$/.test(d) ? d : undefined;
}
