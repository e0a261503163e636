// The side panel: the hops of the hovered or pinned trace, and the selected
// object's findings and policies. Built with textContent only, every string
// through shownText: any of them may come from a manifest.
import type { TraceView } from '../src/protocol';
import type { SceneNode } from './scene';
import { KIND_NAMES, shownListing, shownText } from './scene';

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
  snat: 'codicon-arrow-swap',
  external: 'codicon-globe',
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

export interface TracePanelEvents {
  /** The user asked for the other client's trace (or back). */
  toggleAlternative(): void;
}

/** What the panel shows: a hovered object's trace, another's previewed over a pinned one, or the pinned one. */
export type TraceState = 'hover' | 'preview' | 'pinned';
const STATE_WORDS: Record<TraceState, string> = { hover: 'Hover', preview: 'Preview', pinned: 'Pinned' };

export class TracePanel {
  readonly element: HTMLElement;

  constructor(
    parent: HTMLElement,
    private readonly events: TracePanelEvents,
  ) {
    this.element = el('aside', 'trace-panel');
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', 'Request trace');
    this.element.setAttribute('aria-live', 'polite');
    parent.appendChild(this.element);
    this.show(undefined, undefined, 'hover');
  }

  /**
   * `other`: the same destination from another client, when its verdict
   * differs (`showingOther`: the pinned trace's alternative is the one shown,
   * `other` is then the pinned trace itself).
   */
  show(trace: TraceView | undefined, node: SceneNode | undefined, state: TraceState, other?: TraceView, showingOther = false, pinnedTitle?: string): void {
    const pinned = state === 'pinned';
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
    head.append(icon(pinned ? 'codicon-pinned' : 'codicon-eye'), el('span', 'trace-state', STATE_WORDS[state]));
    root.append(head);
    if (state === 'preview' && pinnedTitle) root.append(el('p', 'hint', `The trace pinned on ${pinnedTitle} comes back when the pointer leaves.`));
    root.append(el('h2', 'trace-title', trace.title));
    root.append(el('div', 'trace-kind', KIND_NAMES[node.kind] + (node.detail ? ` · ${node.detail}` : '')));
    if (trace.from) root.append(el('div', 'trace-from', `From ${trace.from}`));
    const verdict = el('div', `verdict ${trace.verdict}`);
    verdict.append(el('span', 'verdict-chip', trace.verdict), el('span', 'verdict-reason', trace.reason));
    root.append(verdict);
    if (other) root.append(this.otherTrace(other, pinned, showingOther));
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
        if (hop.rules.some((r) => r.startsWith('table '))) {
          const listing = el('pre', 'hop-rules hop-ruleset');
          listing.textContent = shownListing(hop.rules.join('\n'));
          li.append(listing);
        } else {
          const rules = el('ul', 'hop-rules');
          for (const r of hop.rules) {
            const item = el('li');
            item.textContent = shownListing(r);
            rules.append(item);
          }
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

  /** The other client's request: its verdict and why, and (pinned) a button to show its path instead. */
  private otherTrace(other: TraceView, pinned: boolean, showingOther: boolean): HTMLElement {
    const box = el('div', 'other-trace');
    box.append(el('div', 'other-from', showingOther ? `The lit path's request: from ${other.from ?? 'its client'}` : `From ${other.from ?? 'another client'} instead`));
    const verdict = el('div', `verdict ${other.verdict}`);
    verdict.append(el('span', 'verdict-chip', other.verdict), el('span', 'verdict-reason', other.reason));
    box.append(verdict);
    if (pinned) {
      const button = el('button', 'other-show', showingOther ? 'Back to the lit path' : 'Show this trace');
      button.type = 'button';
      button.addEventListener('click', () => this.events.toggleAlternative());
      box.append(button);
    } else {
      box.append(el('p', 'hint', 'Click the object to pin its trace, then show this one.'));
    }
    return box;
  }
}
