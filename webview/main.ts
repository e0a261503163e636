// The inspector's page: receives the topology and traces from the host, draws
// them, and keeps its view state with getState/setState so a reloaded panel
// comes back as it was. Messages are checked before anything acts on them.
import { isHostToWebview, PROTOCOL_VERSION, type ModelViewChoice, type TopologyGraph } from '../src/protocol';
import { decodeGraph } from '../src/view-model';
import { Inspector, type SavedState } from './inspector';
import { getState, postToHost, setState } from './vscode-api';

const root = document.getElementById('app');
if (!root) throw new Error('inspector page has no #app element');

const saved = getState<SavedState>();
const inspector = new Inspector(root, {
  post: postToHost,
  saveState: (state) => setState(state),
  restored: saved && typeof saved === 'object' && saved.v === 1 ? saved : undefined,
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isHostToWebview(message)) return;
  switch (message.type) {
    case 'model':
      drawModel(performance.now(), message.graph, message.view, message.version);
      break;
    case 'compactModel': {
      const started = performance.now();
      let graph: TopologyGraph;
      try {
        graph = decodeGraph(message.graph);
      } catch {
        // Not a graph after all: ask for the whole one again.
        postToHost({ type: 'resync' });
        break;
      }
      drawModel(started, graph, message.view, message.version);
      break;
    }
    case 'patch': {
      const started = performance.now();
      const drawn = inspector.applyPatch(message);
      if (!drawn) {
        postToHost({ type: 'resync', ...(inspector.debug.version !== undefined ? { version: inspector.debug.version } : {}) });
        break;
      }
      postToHost({ type: 'rendered', ...drawn });
      requestAnimationFrame(() => requestAnimationFrame(() => (timing.lastDrawMs = performance.now() - started)));
      break;
    }
    case 'trace':
      inspector.onTrace(message);
      break;
  }
});

function drawModel(started: number, graph: TopologyGraph, view: ModelViewChoice | undefined, version: number | undefined): void {
  const drawn = inspector.setModel(graph, view, version);
  postToHost({ type: 'rendered', ...drawn });
  // How long the drawing took, up to the frame that shows it (read by the benchmark).
  requestAnimationFrame(() => requestAnimationFrame(() => (timing.lastDrawMs = performance.now() - started)));
}

// For the webview tests and the benchmark: read-only view of what is drawn.
const timing = { lastDrawMs: 0 };
Object.assign(window, { __kniInspector: inspector, __kniTiming: timing });

postToHost({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
