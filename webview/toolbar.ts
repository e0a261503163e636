// The inspector's toolbar, with VS Code's own controls from
// @vscode-elements/elements (only the components used are imported).
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';

import type { ModelViewChoice, ModelViewKind } from '../src/protocol';
import { shownText } from './scene';

export interface ToolbarEvents {
  namespace(ns: string | undefined): void;
  /** "As in the files" / "as in the cluster" (shown only while a cluster is connected). */
  view(view: ModelViewKind): void;
  search(query: string, jump: boolean): void;
  /** Fit at a legible scale (the pinned trace or the findings when the whole graph is too large). */
  fit(): void;
  /** Everything in view, however small. */
  fitAll(): void;
  expandAll(expand: boolean): void;
  exportAs(format: 'svg' | 'png'): void;
}

interface ValueElement extends HTMLElement {
  value: string;
}

const ALL = '__all__';

export class Toolbar {
  private readonly source: HTMLElement;
  private readonly select: ValueElement;
  private readonly viewSelect: ValueElement;
  private viewCluster: string | undefined;
  private readonly searchField: ValueElement;
  private readonly matchCount: HTMLElement;
  private namespaces: string[] = [];
  private expanded = false;

  constructor(parent: HTMLElement, events: ToolbarEvents) {
    const bar = document.createElement('header');
    bar.className = 'toolbar';
    bar.setAttribute('role', 'toolbar');
    bar.setAttribute('aria-label', 'Inspector');
    parent.appendChild(bar);

    this.source = document.createElement('span');
    this.source.className = 'source';
    bar.appendChild(this.source);

    this.viewSelect = document.createElement('vscode-single-select') as ValueElement;
    this.viewSelect.className = 'view';
    this.viewSelect.setAttribute('aria-label', 'Show the model');
    this.viewSelect.setAttribute('title', 'Show the objects as written in the files or as they are in the cluster');
    this.viewSelect.style.display = 'none';
    this.viewSelect.addEventListener('change', () => events.view(this.viewSelect.value === 'cluster' ? 'cluster' : 'files'));
    bar.appendChild(this.viewSelect);

    this.select = document.createElement('vscode-single-select') as ValueElement;
    this.select.className = 'namespace';
    this.select.setAttribute('aria-label', 'Namespace');
    this.select.addEventListener('change', () => events.namespace(this.select.value === ALL ? undefined : this.select.value));
    bar.appendChild(this.select);

    this.searchField = document.createElement('vscode-textfield') as ValueElement;
    this.searchField.className = 'search';
    this.searchField.setAttribute('placeholder', 'Search objects');
    this.searchField.setAttribute('aria-label', 'Search objects');
    this.searchField.addEventListener('input', () => events.search(this.searchField.value, false));
    this.searchField.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') events.search(this.searchField.value, true);
    });
    bar.appendChild(this.searchField);
    this.matchCount = document.createElement('span');
    this.matchCount.className = 'match-count';
    bar.appendChild(this.matchCount);

    const button = (icon: string, label: string, action: () => void) => {
      const b = document.createElement('vscode-button');
      b.setAttribute('icon', icon);
      b.setAttribute('secondary', '');
      b.setAttribute('aria-label', label);
      b.setAttribute('title', label);
      b.className = `action-${icon}`;
      b.addEventListener('click', action);
      bar.appendChild(b);
      return b;
    };
    button('screen-full', 'Fit to view at a legible size', () => events.fit());
    button('zoom-out', 'Show everything', () => events.fitAll());
    const expand = button('expand-all', 'Expand all workloads', () => {
      this.expanded = !this.expanded;
      expand.setAttribute('icon', this.expanded ? 'collapse-all' : 'expand-all');
      expand.setAttribute('title', this.expanded ? 'Collapse all workloads' : 'Expand all workloads');
      events.expandAll(this.expanded);
    });
    button('file-media', 'Export as PNG', () => events.exportAs('png'));
    button('file-code', 'Export as SVG', () => events.exportAs('svg'));
  }

  setSource(label: string, objects: number): void {
    this.source.textContent = `${shownText(label)} · ${objects} object${objects === 1 ? '' : 's'}`;
  }

  /** Shows the files / cluster control while a cluster is connected (undefined: hides it). */
  setView(view: ModelViewChoice | undefined): void {
    if (!view) {
      this.viewSelect.style.display = 'none';
      this.viewCluster = undefined;
      return;
    }
    if (view.cluster !== this.viewCluster) {
      this.viewCluster = view.cluster;
      const option = (value: ModelViewKind, text: string) => {
        const o = document.createElement('vscode-option') as ValueElement;
        o.setAttribute('value', value);
        o.textContent = text;
        return o;
      };
      this.viewSelect.replaceChildren(option('files', 'As in the files'), option('cluster', `As in cluster ${shownText(view.cluster)}`));
    }
    this.viewSelect.value = view.current;
    this.viewSelect.style.display = '';
  }

  setNamespaces(namespaces: string[], selected: string | undefined): void {
    if (namespaces.join('\n') !== this.namespaces.join('\n')) {
      this.namespaces = namespaces;
      const options = [ALL, ...namespaces].map((ns) => {
        const o = document.createElement('vscode-option') as ValueElement;
        o.setAttribute('value', ns);
        o.textContent = ns === ALL ? 'All namespaces' : shownText(ns);
        return o;
      });
      this.select.replaceChildren(...options);
    }
    this.select.value = selected ?? ALL;
  }

  setSearch(query: string): void {
    if (this.searchField.value !== query) this.searchField.value = query;
  }

  setMatchCount(count: number | undefined): void {
    this.matchCount.textContent = count === undefined ? '' : `${count} match${count === 1 ? '' : 'es'}`;
  }
}
