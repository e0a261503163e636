// The KNI commands: Open Network Inspector, Trace Request… (a target, or a
// quick pick of Services, Ingress URLs, route rules and egress rules), Lint Workspace, Refresh, Select
// Cluster Context (a `{context, namespaces?}` or `{manifestsOnly: true}`
// argument skips the pickers), Show Render in Inspector (a chart's or
// overlay's rendered release, or the workspace's manifests). A trace target
// with `render` traces in that render's release.
import type { TraceRequestArgument } from '../protocol/lsp';
import * as vscode from 'vscode';
import type { ClusterController } from './cluster/controller';
import type { InspectorHost } from './inspector/inspector-host';
import { attachments, ingressUrls, routeRuleLensTitle, routeRuleRequests, serviceSummary, type TraceTarget } from '../core/editor/trace-targets';
import { renderKey } from '../core/workspace/workspace-renders';
import { isTraceTarget } from '../protocol';
import { egressRuleLenses } from '../core/topology';
import type { WorkspaceIndex } from './workspace-index';

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

export function registerCommands(inspector: InspectorHost, index: WorkspaceIndex, cluster: ClusterController, source: InspectorSource): vscode.Disposable[] {
  const openTrace = async (target: RenderTraceTarget) => {
    const { render, ...own } = target;
    const render_ = typeof render === 'string' ? render : undefined;
    if (render_ !== source.render) {
      source.select(render_);
      await inspector.redraw();
    }
    await inspector.openWithTrace(serverIds(own as TraceTarget, index));
  };

  const showRender = async (arg?: unknown) => {
    const given = typeof arg === 'object' && arg !== null && 'render' in arg ? (arg as { render: unknown }).render : undefined;
    let render: string | undefined;
    if (typeof given === 'string' || given === null) render = given ?? undefined;
    else {
      // The server's renders (the ids its render scopes name).
      const { renders, off } = await inspector.renders();
      const items: (vscode.QuickPickItem & { key: string | undefined })[] = [
        { label: '$(files) Workspace manifests', description: source.render === undefined ? 'shown' : undefined, key: undefined },
        ...renders.map((r) => ({ label: `$(package) ${r.name}`, description: `${r.kind === 'helm' ? 'chart' : 'Kustomize'} · ${r.state}${source.render === r.id ? ' · shown' : ''}`, detail: r.reason, key: r.id })),
      ];
      if (items.length === 1) {
        void vscode.window.showInformationMessage(off ?? 'KNI found no Helm chart or Kustomize root in the workspace to render.');
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

  const pickTarget = async (): Promise<TraceTarget | undefined> => {
    await index.whenScanned();
    const model = index.model();
    const mi = index.modelIndex();
    const items: TracePick[] = [];
    for (const s of model.services) {
      const ports = s.ports.length > 0 ? s.ports : [undefined];
      for (const p of ports) {
        items.push({
          label: `$(server) ${s.namespace}/${s.name}${p ? `:${p.port}` : ''}`,
          description: p?.name ? `${p.name} · ${serviceSummary(mi, s)}` : serviceSummary(mi, s),
          detail: s.origin.file,
          target: p ? { serviceId: s.id, port: p.port } : { serviceId: s.id },
        });
      }
    }
    for (const r of index.renders.list()) {
      const session = r.entry.session;
      if (!session) continue;
      const rmi = session.analysis.index();
      for (const s of session.analysis.model().services) {
        for (const p of s.ports.length > 0 ? s.ports : [undefined]) {
          items.push({
            label: `$(package) ${s.namespace}/${s.name}${p ? `:${p.port}` : ''}`,
            description: `${p?.name ? `${p.name} · ` : ''}${serviceSummary(rmi, s)}`,
            detail: `render ${r.entry.spec.name}`,
            target: { ...(p ? { serviceId: s.id, port: p.port } : { serviceId: s.id }), render: renderKey(r) },
          });
        }
      }
    }
    for (const ing of model.ingresses) {
      for (const u of ingressUrls(ing)) {
        items.push({ label: `$(globe) ${u.url}`, description: `Ingress ${ing.namespace}/${ing.name}`, detail: ing.origin.file, target: { url: u.url } });
      }
    }
    const attached = model.routes.length > 0 ? attachments(model) : [];
    for (const route of model.routes) {
      for (const r of routeRuleRequests(model, route, attached)) {
        items.push({ label: `$(globe) ${routeRuleLensTitle(r)}`, description: `${route.kind} ${route.namespace}/${route.name} rule ${r.ruleIndex}`, detail: route.origin.file, target: { url: r.url, method: r.method, headers: r.headers } });
      }
    }
    for (const np of model.networkPolicies) {
      np.egress.forEach((_, i) => {
        for (const l of egressRuleLenses(mi, np, i)) items.push({ label: `$(globe) ${l.title}`, description: `NetworkPolicy ${np.namespace}/${np.name} egress rule ${i}`, detail: np.origin.file, target: l.target });
      });
    }
    if (items.length === 0) {
      void vscode.window.showInformationMessage('KNI found no Service, Ingress, HTTPRoute or egress rule in the workspace to trace a request to.');
      return undefined;
    }
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
      await index.refresh();
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }),
    vscode.commands.registerCommand('kni.refresh', () => index.refresh()),
    vscode.commands.registerCommand('kni.selectClusterContext', (arg?: unknown) => cluster.selectContext(arg)),
  ];
}

/**
 * The target with the object ids of the language server's model, which the
 * inspector traces in. Interim, while the code lenses and the Trace Request
 * quick pick still come from the in-process index: it keys a file by its
 * workspace-relative path, the server by its file-system path (a render's
 * objects are named alike in both). Ids the index does not know (the
 * server's own, another extension's) pass unchanged.
 */
function serverIds(target: TraceTarget, index: WorkspaceIndex): TraceTarget {
  const id = (objectId: string): string => {
    const at = objectId.lastIndexOf('#');
    const uri = at > 0 ? index.uriOf(objectId.slice(0, at)) : undefined;
    if (!uri) return objectId;
    return (uri.scheme === 'file' ? uri.fsPath : uri.toString()) + objectId.slice(at);
  };
  if ('serviceId' in target) return { ...target, serviceId: id(target.serviceId) };
  if ('egress' in target) return { ...target, egress: { ...target.egress, from: id(target.egress.from) } };
  if ('podToPod' in target) return { ...target, podToPod: { ...target.podToPod, from: id(target.podToPod.from), to: id(target.podToPod.to) } };
  return target;
}
