// CodeLenses: above each Service "Trace request" and what it reaches ("3 pods ·
// 2 workloads", a click peeks at them); above each Ingress rule path and each
// HTTPRoute rule "Trace https://host/path". In a chart's template or a Kustomize
// file, the objects a render drew from it get the same lenses, computed in the
// rendered release (named when several renders read the file).
import * as vscode from 'vscode';
import type { ModelIndex } from '../core/model/model-index';
import type { Loc, ModelObject, Route, Service } from '../core/model/types';
import { renderKey } from '../core/workspace/workspace-renders';
import { attachments, ingressUrls, routeRuleLensTitle, routeRuleRequests, serviceSummary, serviceWorkloads } from '../core/editor/trace-targets';
import { terminalSafe } from '../view-model/terminal-safe';
import type { WorkspaceIndex } from './workspace-index';

/** Where the objects of one lens pass come from: the loose manifests, or one render. */
interface LensSource {
  objects: readonly ModelObject[];
  index: ModelIndex;
  /** A model location as a location in the index's files. */
  at(loc: Loc | undefined): Loc | undefined;
  /** The render (`kni.traceRequest` then traces in it), and its name when the file has several. */
  render?: { key: string; name?: string };
}

export class Lenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly index: WorkspaceIndex) {
    this.subscription = index.onDidUpdate(() => this.emitter.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const views = this.index.renderViewsOf(doc.uri);
    if (this.index.keyOf(doc.uri) === undefined && views.length === 0) return [];
    const sources: LensSource[] = [{ objects: this.index.objectsIn(doc.uri), index: this.index.modelIndex(), at: (l) => l }];
    for (const v of views) sources.push({ objects: v.objects, index: v.index, at: (l) => v.toSource(l), render: { key: renderKey(v.render), ...(views.length > 1 ? { name: v.render.entry.spec.name } : {}) } });
    return sources.flatMap((s) => this.lensesOf(doc, s));
  }

  private lensesOf(doc: vscode.TextDocument, source: LensSource): vscode.CodeLens[] {
    const { index: mi, at: toFile, render } = source;
    const lenses: vscode.CodeLens[] = [];
    const inRender = render?.name ? ` in ${render.name}` : '';
    let attached: ReturnType<typeof attachments> | undefined; // the set's route attachments, once per document
    for (const o of source.objects) {
      if (o.kind === 'Service') {
        const s = o as Service;
        const at = this.lineRange(toFile(s.origin.loc ?? s.origin.nameLoc));
        if (!at) continue;
        const target = { serviceId: s.id, ...(render ? { render: render.key } : {}) };
        lenses.push(new vscode.CodeLens(at, { title: `$(debug-start) Trace request${terminalSafe(inRender)}`, command: 'kni.traceRequest', arguments: [target], tooltip: `Trace a request to Service ${terminalSafe(`${s.namespace}/${s.name}`)}${render ? ' in the rendered release' : ''} in the Network Inspector` }));
        const workloads = serviceWorkloads(mi, s);
        const locations = workloads.flatMap((w) => {
          const loc = toFile(w.podLabelsLoc ?? w.origin.nameLoc ?? w.origin.loc);
          const uri = loc && this.index.uriOf(loc.file);
          return uri && loc ? [new vscode.Location(uri, this.index.rangeOf(loc))] : [];
        });
        lenses.push(
          new vscode.CodeLens(at, {
            title: terminalSafe(serviceSummary(mi, s)),
            command: locations.length > 0 ? 'editor.action.showReferences' : '',
            arguments: locations.length > 0 ? [doc.uri, at.start, locations] : undefined,
            tooltip: locations.length > 0 ? 'Show the workloads this Service selects' : undefined,
          }),
        );
      } else if (o.kind === 'Ingress') {
        for (const u of ingressUrls(o)) {
          const at = this.lineRange(toFile(u.loc ?? o.origin.loc));
          if (!at) continue;
          lenses.push(new vscode.CodeLens(at, { title: `$(debug-start) Trace ${terminalSafe(u.url)}${terminalSafe(inRender)}`, command: 'kni.traceRequest', arguments: [{ url: u.url, ...(render ? { render: render.key } : {}) }], tooltip: `Trace a request to ${terminalSafe(u.url)} in the Network Inspector` }));
        }
      } else if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') {
        const route = o as Route;
        attached ??= attachments(mi.model);
        for (const r of routeRuleRequests(mi.model, route, attached)) {
          const at = this.lineRange(toFile(route.rules[r.ruleIndex].loc ?? route.origin.loc));
          if (!at) continue;
          const title = terminalSafe(routeRuleLensTitle(r));
          lenses.push(
            new vscode.CodeLens(at, {
              title: `$(debug-start) ${title}${terminalSafe(inRender)}`,
              command: 'kni.traceRequest',
              arguments: [{ url: r.url, method: r.method, headers: r.headers, ...(render ? { render: render.key } : {}) }],
              tooltip: `${title} through the Gateway in the Network Inspector`,
            }),
          );
        }
      }
    }
    return lenses;
  }

  private lineRange(loc: { file: string; start: number; end: number } | undefined): vscode.Range | undefined {
    if (!loc) return undefined;
    const p = this.index.positionAt(loc.file, loc.start);
    return new vscode.Range(p.line, 0, p.line, 0);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
