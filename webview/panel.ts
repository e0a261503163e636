// The side panel: the hops of the hovered or pinned trace, and the selected
// object's findings and policies. Built with textContent only, every string
// through shownText: any of them may come from a manifest.
import type { TopologyNode, TraceView } from '../src/protocol';
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
  /** The user chose a destination for the pinned workload or Pod ("Trace to…"; undefined: back to its own trace). */
  traceTo(to: string | undefined): void;
}

/** What the pinned workload or Pod can be traced to, and the destination chosen (if any). */
export interface TraceToChoice {
  destinations: readonly TopologyNode[];
  current: string | undefined;
}

/** The longest list "Trace to…" offers (a cluster's thousands of Pods: search finds the others). */
const MAX_DESTINATIONS = 500;

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
  show(trace: TraceView | undefined, node: SceneNode | undefined, state: TraceState, other?: TraceView, showingOther = false, pinnedTitle?: string, traceTo?: TraceToChoice): void {
    const pinned = state === 'pinned';
    const root = this.element;
    root.replaceChildren();
    if (!trace || !node) {
      root.append(
        el('h2', undefined, 'Request paths'),
        el('p', 'hint', 'Hover a Service, an Ingress rule or an entry point to light up its request paths, or a destination outside the cluster (or a link to it) for egress. Click to pin the trace and show the object in the editor; a pinned workload or Pod can be traced to another one or outside. Escape clears.'),
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
    if (pinned && traceTo && traceTo.destinations.length > 0) root.append(this.traceToPicker(traceTo));
    const verdict = el('div', `verdict ${trace.verdict}`);
    verdict.append(el('span', 'verdict-chip', trace.verdict), el('span', 'verdict-reason', trace.reason));
    root.append(verdict);
    if (other) root.append(this.otherTrace(other, pinned, showingOther));
    if (!trace.fromEngine) root.append(el('p', 'hint', 'Hops from the topology alone (no trace engine result for this object).'));
    if (node.kind === 'external') {
      root.append(el('p', 'hint', 'Linked from the workloads isolated for egress (a NetworkPolicy with policyTypes Egress selects them) that may reach it, with the ports. Unrestricted workloads (no such policy) may reach it on every port: counted, not linked.'));
    }

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

  /** "Trace to…": the world outside and the other workloads and Pods, as destinations of the pinned one. */
  private traceToPicker(choice: TraceToChoice): HTMLElement {
    const box = el('div', 'trace-to');
    const label = el('label', undefined, 'Trace to');
    const select = el('select');
    select.setAttribute('aria-label', 'Trace a request from this object to');
    const none = el('option', undefined, 'its own requests');
    none.value = '';
    select.append(none);
    const shown = choice.destinations.slice(0, MAX_DESTINATIONS);
    const outside = shown.filter((n) => n.kind === 'external');
    const inside = shown.filter((n) => n.kind !== 'external');
    for (const [title, list] of [['Outside the cluster', outside], ['Pod to Pod', inside]] as const) {
      if (list.length === 0) continue;
      const group = el('optgroup');
      group.label = title;
      for (const n of list) {
        const option = el('option', undefined, `${n.namespace ? `${n.namespace}/` : ''}${n.label}${n.kind === 'pod' ? ' (Pod)' : ''}`);
        option.value = n.id;
        option.selected = n.id === choice.current;
        group.append(option);
      }
      select.append(group);
    }
    select.addEventListener('change', () => this.events.traceTo(select.value === '' ? undefined : select.value));
    label.append(select);
    box.append(label);
    if (choice.destinations.length > MAX_DESTINATIONS) box.append(el('p', 'hint', `The first ${MAX_DESTINATIONS} of ${choice.destinations.length}; pin another object to trace from it.`));
    return box;
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
