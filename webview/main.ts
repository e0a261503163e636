// The inspector's page: receives the topology from the host and draws it.
import { isHostToWebview, PROTOCOL_VERSION } from '../src/protocol';
import { drawGraph } from './draw';
import { postToHost } from './vscode-api';

const root = document.getElementById('app');
if (!root) throw new Error('inspector page has no #app element');

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isHostToWebview(message)) return;
  if (message.type === 'model') {
    const drawn = drawGraph(root, message.graph);
    postToHost({ type: 'rendered', ...drawn });
  }
});

postToHost({ type: 'ready', protocolVersion: PROTOCOL_VERSION });
