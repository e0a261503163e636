// The cluster benchmark in a real VS Code (bench/cluster.bench.mjs runs it
// against its simulated cluster of 20,000 Pods, with KUBECONFIG and the test
// API server's address set and KNI_CLUSTER_BENCH_PODS naming Pods to change).
// Not part of the normal run: it needs that cluster.
//
// Measured in the extension host (where this suite runs, beside the extension):
//   - initial sync to the first drawing: the context selected with the inspector
//     open, until the panel reports it drew the cluster's Pods;
//   - watch event to the updated model (the cluster's model, index and findings
//     computed) and to the updated drawing (the panel's `rendered` report of a
//     graph without the Pod / with it not ready), one event at a time: half
//     deletions, half Pods made not ready, through the server's control API;
//   - the extension host's memory growth: heap and RSS after a full GC while
//     connected and drawn, against before connecting; peak RSS sampled;
//   - the language server's (a child process of the extension host: Linux's
//     /proc): RSS growth and peak (no GC of ours there);
//   - the extension host's longest blocked stretch until synced (the sync),
//     until the first drawing and during the events.
// KNI_CLUSTER_BENCH_PANEL=closed: the same without the inspector (the cluster's
// model, status bar and drift alone; no drawing figures).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as vscode from 'vscode';
import type { ClusterViewTiming, GraphSummary, KniExtensionApi } from '../../../src/extension/api';
import { blockProbe, kniExtension, openEditor, screenshot, until } from './helpers';

/** One kept-alive connection to the control API: an event's timing should not include a TLS handshake of ours. */
let controlAgent: Agent | undefined;

/** POST to the test API server's control API. */
function control(body: object): Promise<void> {
  const url = new URL('/_kni/control', process.env.KNI_TEST_API_URL);
  controlAgent ??= new Agent({ keepAlive: true, ca: readFileSync(process.env.KNI_TEST_API_CA as string) });
  return new Promise((done, fail) => {
    const req = request(
      url,
      { method: 'POST', agent: controlAgent, headers: { authorization: `Bearer ${process.env.KNI_TEST_API_TOKEN}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`control API answered ${res.statusCode}`))));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

/** A full collection in this process (the extension host): V8's gc, exposed at run time. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    for (let i = 0; i < 3; i++) gc();
  };
}

const MB = 1024 * 1024;

/** The language server: the extension host's child running `cli.js lsp` (undefined where /proc is not). */
function serverPid(): number | undefined {
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const ppid = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (cmdline.some((a) => a.endsWith('cli.js')) && cmdline.includes('lsp')) return Number(entry);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** A process's resident set and its peak since `resetPeak` (kB in /proc/PID/status). */
function rssOf(pid: number | undefined): { rss: number; peak: number } | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** A process's CPU time so far (ms; utime + stime of /proc/PID/stat, in USER_HZ of 100). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/** This process's CPU time so far (ms). */
function hostCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Sets a process's peak RSS (VmHWM) back to its RSS now. */
function resetPeak(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not allowed here: the peak is then since the server started
  }
}

if (process.env.KNI_CLUSTER_BENCH) {
  describe('cluster benchmark', function () {
    this.timeout(900_000);

    it('syncs and draws the simulated cluster, follows watch events, and reports the extension host memory', async () => {
      const pods = JSON.parse(process.env.KNI_CLUSTER_BENCH_PODS ?? '[]') as { namespace: string; name: string }[];
      assert.ok(pods.length >= 2, 'KNI_CLUSTER_BENCH_PODS names no Pods');
      const expectedPods = Number(process.env.KNI_CLUSTER_BENCH_POD_COUNT);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const ext = kniExtension();
      await openEditor('web.yaml');
      await until('the extension to activate', () => ext.isActive, 60_000);
      const api: KniExtensionApi = ext.exports;
      await api.editor.whenIndexed();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const panel = process.env.KNI_CLUSTER_BENCH_PANEL !== 'closed';
      if (panel) {
        await vscode.commands.executeCommand('kni.openInspector');
        await api.inspector.whenReady(60_000);
        // The workspace's own drawing first: what follows is the cluster's.
        await api.inspector.nextRendered(60_000).catch(() => undefined);
      }

      const gc = collector();
      gc();
      const server = serverPid();
      resetPeak(server);
      const serverBefore = rssOf(server);
      const before = process.memoryUsage();
      let peakRss = before.rss;
      let peakHeap = before.heapUsed;
      const sampler = setInterval(() => {
        const m = process.memoryUsage();
        peakRss = Math.max(peakRss, m.rss);
        peakHeap = Math.max(peakHeap, m.heapUsed);
      }, 50);

      // How long the extension host's event loop is blocked.
      const probe = blockProbe();
      // The floor: the same probe while the host does nothing of ours (the machine's load shows here).
      await new Promise((resume) => setTimeout(resume, 3_000));
      const idleBlockedMs = probe.longest();
      probe.restart();

      const views: ClusterViewTiming[] = [];
      const sub = api.cluster.onDidComputeView((t) => views.push(t));
      // CPU time: the work each process did, which the machine's load does not lengthen as it does gaps.
      const cpu0 = { host: hostCpuMs(), server: cpuMsOf(server) };
      const t0 = performance.now();
      await vscode.commands.executeCommand('kni.selectClusterContext', { context: 'kni-test' });
      await api.cluster.whenSynced(600_000);
      const syncedAt = performance.now();
      const cpuSynced = { host: hostCpuMs(), server: cpuMsOf(server) };
      const syncBlockedMs = probe.longest();
      const peakUntilSynced = { rss: peakRss, heap: peakHeap };
      const serverSynced = rssOf(server);
      const podsDrawn = (g: GraphSummary) => g.nodes.filter((n) => n.kind === 'pod').length;
      const first = panel ? await drawnWhen(api, 'the cluster drawn', (g) => g.view === 'cluster' && podsDrawn(g) > 0, 600_000) : undefined;
      const drawnAt = performance.now();
      const firstView = views.find((v) => v.resync);
      const graphNodes = first?.nodes.length;
      const drawnPods = first && podsDrawn(first);
      const drawBlockedMs = probe.longest();
      // Held once synced and drawn (a full GC first): the cluster's model, findings and the first graph.
      gc();
      const drawnMemory = process.memoryUsage();
      const serverDrawn = rssOf(server);
      console.log(`      [bench] synced after ${Math.round(syncedAt - t0)} ms, drawn after ${Math.round(drawnAt - t0)} ms (${graphNodes} nodes, ${drawnPods} pods drawn)`);
      // The probe starts again after the forced GC, whose pause is the benchmark's, not the extension's.
      probe.restart();
      const cpuEvents0 = { host: hostCpuMs(), server: cpuMsOf(server) };

      // Watch events, one at a time: even ones delete a Pod, odd ones make one not ready.
      interface Sample {
        kind: 'delete' | 'not ready';
        toModelMs: number;
        toDrawingMs: number;
        receivedMs?: number;
        viewMs: number;
      }
      const samples: Sample[] = [];
      for (let i = 0; i < pods.length; i++) {
        const p = pods[i];
        const kind = i % 2 === 0 ? 'delete' : 'not ready';
        const sentAt = performance.now();
        const viewed = new Promise<ClusterViewTiming>((done) => {
          const s = api.cluster.onDidComputeView((t) => {
            if (t.resync || t.changedAt < sentAt) return;
            s.dispose();
            done(t);
          });
        });
        const gone = (g: GraphSummary) => !g.nodes.some((n) => n.kind === 'pod' && n.label === p.name);
        const notReady = (g: GraphSummary) => g.nodes.some((n) => n.kind === 'pod' && n.label === p.name && /not ready/.test(n.detail ?? ''));
        const drawn = panel ? drawnWhen(api, `pod ${p.name} ${kind}`, (g) => g.view === 'cluster' && (kind === 'delete' ? gone(g) : notReady(g)), 120_000, true) : undefined;
        if (kind === 'delete') await control({ op: 'remove', kind: 'Pod', namespace: p.namespace, name: p.name });
        else await control({ op: 'patch', kind: 'Pod', namespace: p.namespace, name: p.name, patch: { status: { conditions: [{ type: 'Ready', status: 'False' }] } } });
        const v = await viewed;
        await drawn;
        // Without the drawing's pace, a quiet spell: the source gathers events that follow a change within its throttle window.
        if (!panel) await new Promise((resume) => setTimeout(resume, 300));
        const renderedAt = drawn ? performance.now() : NaN;
        samples.push({
          kind,
          toModelMs: v.viewAt - sentAt,
          toDrawingMs: renderedAt - sentAt,
          ...(v.receivedAt !== undefined ? { receivedMs: v.receivedAt - sentAt } : {}),
          viewMs: v.viewAt - v.changedAt,
        });
      }
      sub.dispose();
      probe.stop();
      const eventsBlockedMs = probe.longest();
      const cpuEvents1 = { host: hostCpuMs(), server: cpuMsOf(server) };
      controlAgent?.destroy();
      controlAgent = undefined;
      const shot = panel ? await screenshot('inspector-cluster-bench') : undefined;

      clearInterval(sampler);
      gc();
      const after = process.memoryUsage();
      const serverAfter = rssOf(server);
      const median = (f: (s: Sample) => number) => +[...samples.map(f)].sort((a, b) => a - b)[Math.floor(samples.length / 2)].toFixed(1);
      const worst = (f: (s: Sample) => number) => +Math.max(...samples.map(f)).toFixed(1);
      const figures = {
        pods: firstView?.pods,
        findings: firstView?.findings,
        graphNodes,
        drawnPods,
        syncMs: Math.round(syncedAt - t0),
        firstViewMs: firstView ? Math.round(firstView.viewAt - t0) : undefined,
        panel,
        firstDrawingMs: panel ? Math.round(drawnAt - t0) : undefined,
        idleLongestBlockedMs: Math.round(idleBlockedMs),
        syncLongestBlockedMs: Math.round(syncBlockedMs),
        firstDrawingLongestBlockedMs: panel ? Math.round(drawBlockedMs) : undefined,
        eventsLongestBlockedMs: Math.round(eventsBlockedMs),
        cpuMs: {
          hostUntilSynced: Math.round(cpuSynced.host - cpu0.host),
          serverUntilSynced: Math.round(cpuSynced.server - cpu0.server),
          hostEvents: Math.round(cpuEvents1.host - cpuEvents0.host),
          serverEvents: Math.round(cpuEvents1.server - cpuEvents0.server),
        },
        events: samples.length,
        eventToModelMedianMs: median((s) => s.toModelMs),
        eventToModelWorstMs: worst((s) => s.toModelMs),
        eventToDrawingMedianMs: median((s) => s.toDrawingMs),
        eventToDrawingWorstMs: worst((s) => s.toDrawingMs),
        eventBreakdownMedianMs: {
          toReceived: median((s) => s.receivedMs ?? NaN),
          viewComputed: median((s) => s.viewMs),
        },
        memory: {
          heapGrowthMB: +((after.heapUsed - before.heapUsed) / MB).toFixed(1),
          rssGrowthMB: +((after.rss - before.rss) / MB).toFixed(1),
          peakHeapGrowthMB: +((peakHeap - before.heapUsed) / MB).toFixed(1),
          peakRssGrowthMB: +((peakRss - before.rss) / MB).toFixed(1),
          heapGrowthFirstDrawnMB: +((drawnMemory.heapUsed - before.heapUsed) / MB).toFixed(1),
          rssGrowthFirstDrawnMB: +((drawnMemory.rss - before.rss) / MB).toFixed(1),
          peakHeapGrowthUntilSyncedMB: +((peakUntilSynced.heap - before.heapUsed) / MB).toFixed(1),
          peakRssGrowthUntilSyncedMB: +((peakUntilSynced.rss - before.rss) / MB).toFixed(1),
        },
        serverMemory:
          serverBefore && serverSynced && serverDrawn && serverAfter
            ? {
                rssBeforeMB: +(serverBefore.rss / MB).toFixed(1),
                rssGrowthSyncedMB: +((serverSynced.rss - serverBefore.rss) / MB).toFixed(1),
                rssGrowthFirstDrawnMB: +((serverDrawn.rss - serverBefore.rss) / MB).toFixed(1),
                rssGrowthMB: +((serverAfter.rss - serverBefore.rss) / MB).toFixed(1),
                peakRssGrowthMB: +((serverAfter.peak - serverBefore.rss) / MB).toFixed(1),
              }
            : undefined,
        screenshot: shot,
      };
      console.log(`KNI_CLUSTER_BENCH ${JSON.stringify(figures)}`);
      await vscode.commands.executeCommand('kni.selectClusterContext', { manifestsOnly: true });
      assert.equal(firstView?.pods, expectedPods, 'the model holds every Pod of the simulated cluster');
    });
  });
}

/**
 * Resolves with the drawn graph once `accept` holds, waiting on the panel's
 * `rendered` reports. `next`: only a drawing reported after this call counts.
 */
async function drawnWhen(api: KniExtensionApi, what: string, accept: (g: GraphSummary) => boolean, timeoutMs: number, next = false): Promise<GraphSummary> {
  const deadline = Date.now() + timeoutMs;
  let checkCurrent = !next;
  for (;;) {
    const rendered = api.inspector.nextRendered(Math.max(1, deadline - Date.now())).catch((err: Error) => err);
    const g = api.inspector.lastGraphSummary();
    if (checkCurrent && g && accept(g)) return g;
    checkCurrent = true;
    const r = await rendered;
    if (r instanceof Error) {
      const lastGraph = api.inspector.lastGraphSummary();
      throw new Error(`${what}: ${r.message} (last drawn: ${lastGraph ? `${lastGraph.sourceLabel}, ${lastGraph.nodes.length} nodes` : 'nothing'})`);
    }
  }
}
