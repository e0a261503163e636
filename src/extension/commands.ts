// The KNI commands: Open Network Inspector, Trace Request… (a target, or a
// quick pick of Services and Ingress URLs), Lint Workspace, Refresh, Select
// Cluster Context (a `{context, namespaces?}` or `{manifestsOnly: true}`
// argument skips the pickers).
import * as vscode from 'vscode';
import type { ClusterController } from './cluster/controller';
import type { InspectorHost } from './inspector/inspector-host';
import { attachments, ingressUrls, routeRuleLensTitle, routeRuleRequests, serviceSummary, type TraceTarget } from './trace-targets';
import type { WorkspaceIndex } from './workspace-index';

export function isTraceTarget(value: unknown): value is TraceTarget {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (typeof v.url === 'string') {
    return (v.method === undefined || typeof v.method === 'string') && (v.headers === undefined || (typeof v.headers === 'object' && v.headers !== null && Object.values(v.headers).every((x) => typeof x === 'string')));
  }
  return typeof v.serviceId === 'string' && (v.port === undefined || typeof v.port === 'number');
}

interface TracePick extends vscode.QuickPickItem {
  target: TraceTarget;
}

export function registerCommands(inspector: InspectorHost, index: WorkspaceIndex, cluster: ClusterController): vscode.Disposable[] {
  const openTrace = async (target: TraceTarget) => {
    await inspector.openWithTrace(target);
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
    if (items.length === 0) {
      void vscode.window.showInformationMessage('KNI found no Service, Ingress or HTTPRoute in the workspace to trace a request to.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'KNI: Trace Request', placeHolder: 'A Service port or an Ingress URL', matchOnDescription: true, matchOnDetail: true });
    return picked?.target;
  };

  return [
    vscode.commands.registerCommand('kni.openInspector', () => inspector.open()),
    vscode.commands.registerCommand('kni.traceRequest', async (arg?: unknown) => {
      const target = isTraceTarget(arg) ? arg : await pickTarget();
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
