// CodeLenses: above each Service "Trace request" and what it reaches ("3 pods ·
// 2 workloads", a click peeks at them); above each Ingress rule path and each
// HTTPRoute rule "Trace https://host/path".
import * as vscode from 'vscode';
import type { Route, Service } from '../core/model/types';
import { attachments, ingressUrls, routeRuleLensTitle, routeRuleRequests, serviceSummary, serviceWorkloads } from './trace-targets';
import { terminalSafe } from '../core/text/terminal-safe';
import type { WorkspaceIndex } from './workspace-index';

export class Lenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly index: WorkspaceIndex) {
    this.subscription = index.onDidUpdate(() => this.emitter.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const key = this.index.keyOf(doc.uri);
    if (key === undefined) return [];
    const mi = this.index.modelIndex();
    const lenses: vscode.CodeLens[] = [];
    let attached: ReturnType<typeof attachments> | undefined; // the set's route attachments, once per document
    for (const o of this.index.objectsIn(doc.uri)) {
      if (o.kind === 'Service') {
        const s = o as Service;
        const at = this.lineRange(s.origin.loc ?? s.origin.nameLoc);
        if (!at) continue;
        lenses.push(new vscode.CodeLens(at, { title: '$(debug-start) Trace request', command: 'kni.traceRequest', arguments: [{ serviceId: s.id }], tooltip: `Trace a request to Service ${terminalSafe(`${s.namespace}/${s.name}`)} in the Network Inspector` }));
        const workloads = serviceWorkloads(mi, s);
        const locations = workloads.flatMap((w) => {
          const loc = w.podLabelsLoc ?? w.origin.nameLoc ?? w.origin.loc;
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
          const at = this.lineRange(u.loc ?? o.origin.loc);
          if (!at) continue;
          lenses.push(new vscode.CodeLens(at, { title: `$(debug-start) Trace ${terminalSafe(u.url)}`, command: 'kni.traceRequest', arguments: [{ url: u.url }], tooltip: `Trace a request to ${terminalSafe(u.url)} in the Network Inspector` }));
        }
      } else if (o.kind === 'HTTPRoute' || o.kind === 'GRPCRoute') {
        const route = o as Route;
        attached ??= attachments(mi.model);
        for (const r of routeRuleRequests(mi.model, route, attached)) {
          const at = this.lineRange(route.rules[r.ruleIndex].loc ?? route.origin.loc);
          if (!at) continue;
          const title = terminalSafe(routeRuleLensTitle(r));
          lenses.push(new vscode.CodeLens(at, { title: `$(debug-start) ${title}`, command: 'kni.traceRequest', arguments: [{ url: r.url, method: r.method, headers: r.headers }], tooltip: `${title} through the Gateway in the Network Inspector` }));
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
