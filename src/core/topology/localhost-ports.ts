// Container to container inside one Pod: what the editor says above and on a
// container port of a workload whose Pods run several containers (regular
// ones and native sidecars). Its other containers reach that port at
// localhost: one network namespace, no Service, no kube-proxy, no
// NetworkPolicy. The lens "Trace localhost:9090 from exporter" asks the
// trace engine (`--to localhost:PORT` from the workload); the hover says
// what that trace answers, and when two containers declare the same port
// (only one of them can listen there). A workload with one container gets
// neither: localhost from itself is not a question anyone asks the editor.
// Pure: the language server and the VS Code extension show them.
import type { ModelIndex } from '../model/model-index';
import type { Container, ContainerPort, Workload } from '../model/types';
import { markdownCode, markdownText } from '../text/markdown-safe';
import { traceRequest } from '../trace';
import { runningContainers } from '../trace/pod-to-pod';
import type { TraceOptions } from '../trace/types';
import type { LocalhostTraceTarget } from '../../protocol';
import { VERDICT_MARKS, type Mark } from '../editor/marks';

/** Other containers named in a title before it says "the other N containers". */
const MAX_NAMED = 2;

export interface LocalhostPort {
  container: Container;
  port: ContainerPort;
  /** The containers that connect to it (every running container but the one declaring it). */
  from: Container[];
  /** Other running containers declaring the same port and protocol. */
  alsoDeclaredBy: Container[];
}

/** The ports of a workload's running containers that its other containers reach at localhost (none for a single container). */
export function localhostPorts(w: Workload): LocalhostPort[] {
  // In the order they are written (init containers, sidecars among them, come first in a manifest).
  const running = runningContainers(w.containers).sort((a, b) => (a.loc?.start ?? 0) - (b.loc?.start ?? 0));
  if (running.length < 2) return [];
  return running.flatMap((container) =>
    container.ports.map((port) => ({
      container,
      port,
      from: running.filter((c) => c !== container),
      alsoDeclaredBy: running.filter((c) => c !== container && c.ports.some((p) => p.containerPort === port.containerPort && p.protocol === port.protocol)),
    })),
  );
}

/** "localhost:9090", "localhost:53/UDP". */
function address(p: ContainerPort): string {
  return `localhost:${p.containerPort}${p.protocol === 'TCP' ? '' : `/${p.protocol}`}`;
}

/** "exporter", "api and exporter", "the other 3 containers". */
function clients(from: readonly Container[]): string {
  if (from.length > MAX_NAMED) return `the other ${from.length} containers`;
  return from.map((c) => c.name).join(' and ');
}

export interface LocalhostLens {
  title: string;
  tooltip: string;
  target: { localhost: LocalhostTraceTarget };
}

/** The lens above one container port. */
export function localhostLens(w: Workload, lp: LocalhostPort): LocalhostLens {
  const pods = w.kind === 'Pod' ? `Pod ${w.namespace}/${w.name}` : `a Pod of ${w.kind} ${w.namespace}/${w.name}`;
  return {
    title: `Trace ${address(lp.port)} from ${clients(lp.from)}`,
    tooltip: `Trace a connection from ${clients(lp.from)} to ${address(lp.port)} inside ${pods} (its containers share one network namespace) in the Network Inspector`,
    target: { localhost: { from: w.id, port: lp.port.containerPort } },
  };
}

/** What the engine is asked for a localhost target (undefined: not a workload of the set). */
export function localhostTraceOptions(index: ModelIndex, t: LocalhostTraceTarget): TraceOptions | undefined {
  const w = index.byId(t.from);
  if (!w || !('podLabels' in w)) return undefined;
  return { from: { kind: 'workload', namespace: w.namespace, workloadKind: w.kind, name: w.name }, to: { kind: 'localhost', port: t.port } };
}


/** The hover on a container port of a multi-container workload (Markdown without links): the localhost trace's answer. */
export function localhostPortHover(index: ModelIndex, w: Workload, lp: LocalhostPort, mark: (m: Mark) => string): string {
  const head = `**containerPort ${lp.port.containerPort}/${lp.port.protocol}**${lp.port.name ? ` (${markdownCode(lp.port.name)})` : ''} of container ${markdownCode(lp.container.name)}`;
  const options = localhostTraceOptions(index, { from: w.id, port: lp.port.containerPort });
  const r = options ? traceRequest(index.model, index, options) : undefined;
  const lines = [head];
  if (r) {
    const how = r.hops.find((h) => h.kind === 'route')?.detail;
    lines.push(`${mark(VERDICT_MARKS[r.verdict])} ${markdownCode(address(lp.port))} from ${markdownText(clients(lp.from))}: **${r.verdict}**: ${markdownText(r.reason)}`);
    if (how) lines.push(markdownText(how));
  }
  if (lp.alsoDeclaredBy.length > 0) {
    lines.push(`${mark('warning')} ${lp.alsoDeclaredBy.map((c) => markdownCode(c.name)).join(', ')} declare${lp.alsoDeclaredBy.length > 1 ? '' : 's'} this port too: the containers share one network namespace, so only the first to bind listens there`);
  }
  return lines.join('\n\n');
}
