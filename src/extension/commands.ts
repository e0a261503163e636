// The KNI commands: Open Network Inspector, Trace Request… (a target, or a
// quick pick of Services, Ingress URLs, route rules and egress rules), Lint Workspace, Refresh, Select
// Cluster Context (a `{context, namespaces?}` or `{manifestsOnly: true}`
// argument skips the pickers), Show Render in Inspector (a chart's or
// overlay's rendered release, or the workspace's manifests). A trace target
// with `render` traces in that render's release.
import { TRACE_TARGETS_REQUEST, type TraceRequestArgument, type TraceTargetKind, type TraceTargetsResult } from '../protocol/lsp';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { ClusterController } from './cluster/controller';
import type { EditorState } from './editor-state';
import type { InspectorHost } from './inspector/inspector-host';
import { isTraceTarget, type TraceTarget } from '../protocol';

const TARGET_ICON: Record<TraceTargetKind, string> = { service: '$(server)', 'render-service': '$(package)', ingress: '$(globe)', 'route-rule': '$(globe)', 'egress-rule': '$(globe)' };

/** A trace target in a render's release (the render's key), or in the workspace's manifests. */
type RenderTraceTarget = TraceRequestArgument;

interface TracePick extends vscode.QuickPickItem {
  target: RenderTraceTarget;
}

/** Which source the inspector draws: the workspace's manifests (undefined) or one render (its key). */
export interface InspectorSource {
  render: string | undefined;
  select(render: string | undefined): void;
}

/**
 * @param client the language server: the targets to pick, scans
 * @param editor the server's index as the extension sees it (renders, scans)
 */
export function registerCommands(inspector: InspectorHost, client: LanguageClient, editor: EditorState, cluster: ClusterController, source: InspectorSource): vscode.Disposable[] {
  const openTrace = async (target: RenderTraceTarget) => {
    const { render, ...own } = target;
    const render_ = typeof render === 'string' ? render : undefined;
    if (render_ !== source.render) {
      source.select(render_);
      await inspector.redraw();
    }
    await inspector.openWithTrace(own as TraceTarget);
  };

  const showRender = async (arg?: unknown) => {
    const given = typeof arg === 'object' && arg !== null && 'render' in arg ? (arg as { render: unknown }).render : undefined;
    let render: string | undefined;
    if (typeof given === 'string' || given === null) render = given ?? undefined;
    else {
      const items: (vscode.QuickPickItem & { key: string | undefined })[] = [
        { label: '$(files) Workspace manifests', description: source.render === undefined ? 'shown' : undefined, key: undefined },
        ...editor.renders.renders.map((r) => ({ label: `$(package) ${r.name}`, description: `${r.kind === 'helm' ? 'chart' : 'Kustomize'} · ${r.state}${source.render === r.id ? ' · shown' : ''}`, detail: r.reason, key: r.id })),
      ];
      if (items.length === 1) {
        void vscode.window.showInformationMessage(editor.renders.off ?? 'KNI found no Helm chart or Kustomize root in the workspace to render.');
        return;
      }
      const picked = await vscode.window.showQuickPick(items, { title: 'KNI: Show Render in Inspector', placeHolder: 'What the Network Inspector draws' });
      if (!picked) return;
      render = picked.key;
    }
    source.select(render);
    inspector.open();
    await inspector.redraw();
  };

  /** The server lists what can be traced: Services (also of renders), Ingress URLs, route rules, egress rules. */
  const pickTarget = async (): Promise<RenderTraceTarget | undefined> => {
    await editor.whenIndexed();
    const { targets } = await client.sendRequest<TraceTargetsResult>(TRACE_TARGETS_REQUEST);
    if (targets.length === 0) {
      void vscode.window.showInformationMessage('KNI found no Service, Ingress, HTTPRoute or egress rule in the workspace to trace a request to.');
      return undefined;
    }
    const items: TracePick[] = targets.map((t) => ({ label: `${TARGET_ICON[t.kind]} ${t.label}`, description: t.description, ...(t.detail !== undefined ? { detail: t.detail } : {}), target: t.target }));
    const picked = await vscode.window.showQuickPick(items, { title: 'KNI: Trace Request', placeHolder: 'A Service port, an Ingress URL or an egress rule', matchOnDescription: true, matchOnDetail: true });
    return picked?.target;
  };

  return [
    vscode.commands.registerCommand('kni.openInspector', () => inspector.open()),
    vscode.commands.registerCommand('kni.showRenderInInspector', showRender),
    vscode.commands.registerCommand('kni.traceRequest', async (arg?: unknown) => {
      const target = isTraceTarget(arg) ? (arg as RenderTraceTarget) : await pickTarget();
      if (target) await openTrace(target);
    }),
    vscode.commands.registerCommand('kni.lintWorkspace', async () => {
      await editor.scan();
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }),
    vscode.commands.registerCommand('kni.refresh', () => editor.scan()),
    vscode.commands.registerCommand('kni.selectClusterContext', (arg?: unknown) => cluster.selectContext(arg)),
  ];
}
