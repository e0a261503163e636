// HTTPRoute filters as the request meets them: header modifiers (the changes
// listed), URLRewrite (the host and path the backend sees), RequestRedirect
// (the response: status and Location, the request goes no further),
// RequestMirror (a copy to another backend whose response is discarded), and
// ExtensionRef (implementation-defined: named, not evaluated).
import type { HeaderModifier, PathModifier, RouteFilter, RouteMatch } from '../../model/types';
import type { GatewayRequest } from './match';

export interface FilterEffect {
  filter: RouteFilter;
  /** One line for the trace hop. */
  detail: string;
  /** A redirect ends the request here. */
  redirect?: { status: number; location: string };
}

/**
 * The path after a ReplaceFullPath or ReplacePrefixMatch modifier. A prefix
 * replacement swaps the matched prefix (element-wise, a trailing slash of
 * either side ignored) and keeps the rest: "/prefix/one" -> "/one" makes
 * "/prefix/one/two" into "/one/two"; "/strip" -> "/" makes "/strip/x" into "/x".
 */
export function modifyPath(path: string, mod: PathModifier, match: RouteMatch): string {
  if (mod.type === 'ReplaceFullPath') return mod.value || '/';
  const prefix = (match.path ?? '/').replace(/\/+$/, '');
  const rest = path.slice(prefix.length);
  const head = mod.value.replace(/\/+$/, '');
  const out = rest === '' ? mod.value || '/' : head + (rest.startsWith('/') ? rest : `/${rest}`);
  return out === '' ? '/' : out;
}

function defaultPort(scheme: string): number | undefined {
  return scheme === 'http' ? 80 : scheme === 'https' ? 443 : undefined;
}

/**
 * The Location of a RequestRedirect. Its port, when not written: the scheme's
 * well-known port when the redirect sets a scheme, else the listener's port;
 * left out of the Location when it is the scheme's well-known port.
 */
export function redirectLocation(r: NonNullable<RouteFilter['redirect']>, req: GatewayRequest, listenerPort: number, match: RouteMatch): string {
  const scheme = r.scheme ?? req.scheme;
  const host = r.hostname ?? req.host;
  const path = r.path ? modifyPath(req.path, r.path, match) : req.path;
  const port = r.port ?? (r.scheme ? (defaultPort(r.scheme) ?? listenerPort) : listenerPort);
  const portText = port === defaultPort(scheme) ? '' : `:${port}`;
  const query = req.query.length > 0 ? `?${req.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}` : '';
  return `${scheme}://${host}${portText}${path}${query}`;
}

export function describeHeaderModifier(m: HeaderModifier): string {
  const parts = [
    ...m.set.map((h) => `set ${h.name}: ${h.value}`),
    ...m.add.map((h) => `add ${h.name}: ${h.value}`),
    ...m.remove.map((h) => `remove ${h}`),
  ];
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

/**
 * Applies filters in order to the request (host and path are rewritten in
 * place). Stops after a redirect.
 */
export function applyFilters(filters: readonly RouteFilter[], req: GatewayRequest, listenerPort: number, match: RouteMatch): FilterEffect[] {
  const out: FilterEffect[] = [];
  for (const filter of filters) {
    switch (filter.type) {
      case 'RequestHeaderModifier':
        if (filter.requestHeaders) {
          for (const h of filter.requestHeaders.set) req.headers[h.name.toLowerCase()] = h.value;
          for (const h of filter.requestHeaders.add) {
            const k = h.name.toLowerCase();
            req.headers[k] = req.headers[k] === undefined ? h.value : `${req.headers[k]},${h.value}`;
          }
          for (const h of filter.requestHeaders.remove) delete req.headers[h.toLowerCase()];
        }
        out.push({ filter, detail: `RequestHeaderModifier: ${describeHeaderModifier(filter.requestHeaders ?? { set: [], add: [], remove: [] })}` });
        break;
      case 'ResponseHeaderModifier':
        out.push({ filter, detail: `ResponseHeaderModifier (on the way back): ${describeHeaderModifier(filter.responseHeaders ?? { set: [], add: [], remove: [] })}` });
        break;
      case 'URLRewrite': {
        const r = filter.rewrite ?? {};
        const before = `${req.host}${req.path}`;
        if (r.hostname) req.host = r.hostname;
        if (r.path) req.path = modifyPath(req.path, r.path, match);
        out.push({ filter, detail: `URLRewrite: ${before} -> ${req.host}${req.path} (Host header and path the backend sees)` });
        break;
      }
      case 'RequestRedirect': {
        const r = filter.redirect!;
        const location = redirectLocation(r, req, listenerPort, match);
        out.push({ filter, detail: `RequestRedirect: the Gateway answers ${r.statusCode} with Location: ${location}`, redirect: { status: r.statusCode, location } });
        return out;
      }
      case 'RequestMirror': {
        const m = filter.mirror!;
        const share = m.fraction ? ` (${m.fraction.numerator}/${m.fraction.denominator} of requests)` : m.percent !== undefined ? ` (${m.percent}% of requests)` : '';
        out.push({ filter, detail: `RequestMirror: a copy goes to ${m.kind} ${m.namespace}/${m.name}${m.port !== undefined ? `:${m.port}` : ''}${share}; its response is discarded, not part of the path` });
        break;
      }
      case 'ExtensionRef': {
        const e = filter.extensionRef!;
        out.push({ filter, detail: `ExtensionRef ${e.group ? `${e.group}/` : ''}${e.kind} ${e.name}: implementation-defined, not evaluated` });
        break;
      }
      default:
        out.push({ filter, detail: `${filter.type || '(no type)'} filter: not evaluated (an implementation that does not support it answers 500)` });
    }
  }
  return out;
}
