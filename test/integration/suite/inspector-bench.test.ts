// The inspector benchmark in a real VS Code (bench/inspector-vscode.bench.mjs
// runs it on a generated workspace of KNI_INSPECTOR_BENCH_PODS Pods). Not part
// of the normal run.
//
// Measured in the extension host, once the workspace is indexed and the
// language server (a child process of the extension host) is idle: Open Network
// Inspector until the panel reports its first drawing of the workspace (the
// graph built, sent, drawn), then the same after the panel was closed and
// opened again (the model unchanged; median of 5); the page's `ready` on the
// way (a new panel loads its page first); the host's longest block (the
// longest gap between ticks of a 5 ms timer, which on a loaded machine
// includes the time the process waited for a core) during each.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { KniExtensionApi } from '../../../src/extension/api';
import { blockProbe, kniExtension, until } from './helpers';

/** Runs `work` and measures its time and the extension host's longest block meanwhile. */
async function measured<T>(work: () => Promise<T>): Promise<{ ms: number; blockedMs: number; value: T }> {
  const probe = blockProbe();
  const t0 = performance.now();
  try {
    const value = await work();
    return { ms: performance.now() - t0, blockedMs: probe.longest(), value };
  } finally {
    probe.stop();
  }
}

/** CPU ticks of this process's child processes running `kni lsp` (Linux /proc). */
function serverTicks(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('lsp')) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone meanwhile
    }
  }
  return ticks;
}

/** Resolves once the language server used no CPU for a second (its scan done), and the host's loop ran freely for as long. */
async function settled(): Promise<void> {
  let quiet = 0;
  let before = serverTicks();
  for (const deadline = Date.now() + 180_000; quiet < 4 && Date.now() < deadline; ) {
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 250));
    const now = serverTicks();
    quiet = now === before && performance.now() - t0 < 270 ? quiet + 1 : 0;
    before = now;
  }
}

/** Opens the panel and resolves with its first drawing of more than `minNodes` nodes (not the empty one of a workspace not indexed yet). */
async function openAndDraw(api: KniExtensionApi, minNodes: number): Promise<{ nodes: number; edges: number; readyMs: number }> {
  const t0 = performance.now();
  const rendered = api.inspector.nextRendered(300_000);
  await vscode.commands.executeCommand('kni.openInspector');
  await api.inspector.whenReady(300_000);
  const readyMs = performance.now() - t0;
  let r = await rendered;
  while (r.nodes <= minNodes) r = await api.inspector.nextRendered(300_000);
  return { nodes: r.nodes, edges: r.edges, readyMs };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Reopened: medians of this many rounds. */
const ROUNDS = 5;

if (process.env.KNI_INSPECTOR_BENCH) {
  describe('inspector benchmark', function () {
    this.timeout(900_000);

    it('opens the inspector on the workspace and draws it, then again after closing it', async () => {
      const pods = Number(process.env.KNI_INSPECTOR_BENCH_PODS);
      assert.ok(pods > 0, 'KNI_INSPECTOR_BENCH_PODS names no Pod count');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const ext = kniExtension();
      // Activated by the workspace's first YAML document.
      const [first] = await vscode.workspace.findFiles('**/*.yaml', undefined, 1);
      await vscode.window.showTextDocument(first, { preview: false });
      await until('the extension to activate', () => ext.isActive, 60_000);
      const api: KniExtensionApi = ext.exports;
      const indexed = await measured(() => api.editor.whenIndexed());
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await settled();
      const opened = await measured(() => openAndDraw(api, 1));
      const reopened: Awaited<ReturnType<typeof measured<Awaited<ReturnType<typeof openAndDraw>>>>>[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
        await until('the panel to close', () => !api.inspector.isOpen(), 30_000);
        await settled();
        reopened.push(await measured(() => openAndDraw(api, 1)));
      }
      const graph = api.inspector.lastGraphSummary();
      const figures = {
        pods,
        files: api.editor.fileCount(),
        indexedMs: Math.round(indexed.ms),
        graphNodes: graph?.nodes.length,
        drawnNodes: opened.value.nodes,
        firstMs: Math.round(opened.ms),
        firstReadyMs: Math.round(opened.value.readyMs),
        firstBlockedMs: Math.round(opened.blockedMs),
        reopenedMs: Math.round(median(reopened.map((r) => r.ms))),
        reopenedReadyMs: Math.round(median(reopened.map((r) => r.value.readyMs))),
        reopenedBlockedMs: Math.round(median(reopened.map((r) => r.blockedMs))),
      };
      console.log(`KNI_INSPECTOR_BENCH ${JSON.stringify(figures)}`);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });
  });
}
