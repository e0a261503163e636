// The side panel: the hops of the hovered or pinned trace, and the selected
// object's findings and policies. Built with textContent only, every string
// through shownText: any of them may come from a manifest.
import type { TraceView } from '../src/protocol';
import type { SceneNode } from './scene';
import { KIND_NAMES, shownText } from './scene';

const HOP_ICONS: Record<string, string> = {
  dns: 'codicon-symbol-namespace',
  vip: 'codicon-symbol-interface',
  service: 'codicon-symbol-interface',
  iptables: 'codicon-list-filter',
  'kube-proxy': 'codicon-list-filter',
  dnat: 'codicon-arrow-right',
  route: 'codicon-arrow-right',
  reply: 'codicon-arrow-left',
  nat: 'codicon-arrow-right',
  nodeport: 'codicon-plug',
  loadbalancer: 'codicon-broadcast',
  ingress: 'codicon-link',
  entry: 'codicon-globe',
  endpoints: 'codicon-list-tree',
  endpoint: 'codicon-list-tree',
  workload: 'codicon-package',
  pod: 'codicon-vm',
  node: 'codicon-server',
  policy: 'codicon-shield',
  missing: 'codicon-circle-slash',
};

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = shownText(text);
  return e;
}

function icon(name: string): HTMLElement {
  const i = el('span', `codicon ${name}`);
  i.setAttribute('aria-hidden', 'true');
  return i;
}

export class TracePanel {
  readonly element: HTMLElement;

  constructor(parent: HTMLElement) {
    this.element = el('aside', 'trace-panel');
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', 'Request trace');
    this.element.setAttribute('aria-live', 'polite');
    parent.appendChild(this.element);
    this.show(undefined, undefined, false);
  }

  show(trace: TraceView | undefined, node: SceneNode | undefined, pinned: boolean): void {
    const root = this.element;
    root.replaceChildren();
    if (!trace || !node) {
      root.append(
        el('h2', undefined, 'Request paths'),
        el('p', 'hint', 'Hover a Service, an Ingress rule or an entry point to light up its request paths. Click to pin the trace and show the object in the editor; Escape clears.'),
        el('p', 'hint', 'Tab moves between objects, Enter traces the focused one.'),
      );
      return;
    }
    const head = el('div', 'trace-head');
    head.append(icon(pinned ? 'codicon-pinned' : 'codicon-eye'), el('span', 'trace-state', pinned ? 'Pinned' : 'Hover'));
    root.append(head);
    root.append(el('h2', 'trace-title', trace.title));
    root.append(el('div', 'trace-kind', KIND_NAMES[node.kind] + (node.detail ? ` · ${node.detail}` : '')));
    const verdict = el('div', `verdict ${trace.verdict}`);
    verdict.append(el('span', 'verdict-chip', trace.verdict), el('span', 'verdict-reason', trace.reason));
    root.append(verdict);
    if (!trace.fromEngine) root.append(el('p', 'hint', 'Hops from the topology alone (no trace engine result for this object).'));

    const hops = el('ol', 'hops');
    hops.setAttribute('aria-label', 'Hops');
    for (const hop of trace.hops) {
      const li = el('li', `hop ${hop.verdict ? `verdict-${hop.verdict}` : ''}`);
      const line = el('div', 'hop-line');
      line.append(icon(HOP_ICONS[hop.kind] ?? 'codicon-circle-small'), el('span', 'hop-kind', hop.kind));
      if (hop.verdict) line.append(el('span', `hop-verdict ${hop.verdict}`, hop.verdict === 'allow' ? 'allowed' : 'denied'));
      li.append(line, el('div', 'hop-detail', hop.detail));
      if (hop.rules?.length) {
        // An nftables listing (`table ip kube-proxy { ... }`) is one nested block: shown as nft prints it.
        if (hop.rules.some((r) => r.startsWith('table '))) li.append(el('pre', 'hop-rules hop-ruleset', hop.rules.join('\n')));
        else {
          const rules = el('ul', 'hop-rules');
          for (const r of hop.rules) rules.append(el('li', undefined, r));
          li.append(rules);
        }
      }
      hops.append(li);
    }
    root.append(hops);

    if (node.findings && node.findings.messages.length > 0) {
      root.append(el('h3', undefined, 'Findings'));
      const list = el('ul', 'findings');
      for (const m of node.findings.messages) list.append(el('li', undefined, m));
      root.append(list);
    }
    if (node.policies?.length) {
      root.append(el('h3', undefined, 'NetworkPolicies selecting these Pods'));
      const list = el('ul', 'policies');
      for (const p of node.policies) list.append(el('li', undefined, p));
      root.append(list);
      if (node.policyFindings?.messages.length) {
        const pf = el('ul', 'findings');
        for (const m of node.policyFindings.messages) pf.append(el('li', undefined, m));
        root.append(el('h3', undefined, 'Findings on those policies'), pf);
      }
    }
  }
}
