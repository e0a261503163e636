// CodeLenses: the core's lenses of a file (codeLenses: "Trace request" and
// what a Service reaches, "Trace https://host/path" on Ingress and HTTPRoute
// rules, the same on the objects a render drew from a template or a Kustomize
// file) as VS Code CodeLenses: an icon before each trace, and a click on what
// a Service reaches peeks at its workloads.
import * as vscode from 'vscode';
import { codeLenses, type LensSource } from '../core/editor/code-lenses';
import { TRACE_REQUEST_COMMAND } from '../protocol/lsp';
import { renderKey } from '../core/workspace/workspace-renders';
import type { WorkspaceIndex } from './workspace-index';

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
    return codeLenses(sources).map((lens) => {
      const line = this.index.positionAt(lens.loc.file, lens.loc.start).line;
      const at = new vscode.Range(line, 0, line, 0);
      if (lens.kind === 'trace') return new vscode.CodeLens(at, { title: `$(debug-start) ${lens.title}`, command: TRACE_REQUEST_COMMAND, arguments: [lens.argument], tooltip: lens.tooltip });
      const locations = lens.workloads.flatMap((loc) => {
        const uri = this.index.uriOf(loc.file);
        return uri ? [new vscode.Location(uri, this.index.rangeOf(loc))] : [];
      });
      return new vscode.CodeLens(at, {
        title: lens.title,
        command: locations.length > 0 ? 'editor.action.showReferences' : '',
        arguments: locations.length > 0 ? [doc.uri, at.start, locations] : undefined,
        tooltip: locations.length > 0 ? 'Show the workloads this Service selects' : undefined,
      });
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
