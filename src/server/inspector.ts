// The inspector's side of the language server: the graph of a scope (the
// workspace's files, or the connected cluster) as a compact message, its later
// changes as versioned patches to subscribers, and traces of its nodes or of a
// target, answered with the code the extension's inspector host runs
// (core/topology's graph and explanation, the view model's feed and diff).
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type { Finding } from '../core/findings/types';
import type { ModelIndex } from '../core/model/model-index';
import { buildTopologyGraphInSlices, explainNode, filesSourceLabel, questionsForNode, questionsForTarget, runTrace, type DrawnGraph, type TraceQuestion, type TraceSettings } from '../core/topology';
import { describeRequest, formatTraceText } from '../cli/trace';
import {
  CLOSE_GRAPH_NOTIFICATION,
  GRAPH_CHANGED_NOTIFICATION,
  GRAPH_REQUEST,
  GRAPH_SCOPES,
  TRACE_QUESTIONS_REQUEST,
  TRACE_REQUEST,
  type CloseGraphParams,
  type GraphChangedParams,
  type GraphParams,
  type GraphResult,
  type GraphScope,
  type ModelViewChoice,
  type TopologyGraph,
  type TraceParams,
  type TraceQuestionsParams,
  type TraceQuestionsResult,
  type TraceResult,
  isTraceTarget,
} from '../protocol';
import { encodeGraph, GraphFeed, indexGraphInSlices, type GraphIndex } from '../view-model';

/** A model the inspector draws: its index, its findings and the header's words. */
export interface ScopeModel {
  index: ModelIndex;
  findings: readonly Finding[];
  sourceLabel: string;
  view?: ModelViewChoice;
}

export interface InspectorDeps {
  /** The scope's model now; undefined when there is none (no cluster connected). */
  model(scope: GraphScope): ScopeModel | undefined;
  traceSettings(): TraceSettings;
  /** Requests wait for the work queued before them (the analysis of an edit). */
  ready(): Promise<void>;
}

interface Drawn extends DrawnGraph {
  model: ScopeModel;
  version: number;
  graphIndex?: Promise<GraphIndex | undefined>;
}

/** Between slices of a graph build: lets requests and notifications run first. */
const pause = () => new Promise<void>((resume) => setImmediate(resume));

class Scope {
  readonly feed = new GraphFeed();
  subscribed = false;
  drawn: Drawn | undefined;
  /** The build in progress; a change meanwhile builds once more after it. */
  private building: Promise<Drawn | undefined> | undefined;
  private again = false;

  constructor(
    readonly name: GraphScope,
    private readonly deps: InspectorDeps,
    private readonly send: (params: GraphChangedParams) => void,
  ) {}

  /** Whether the drawn graph is of the scope's model now. */
  private current(model: ScopeModel | undefined): boolean {
    const d = this.drawn;
    return model === undefined ? d === undefined : d !== undefined && d.model.index === model.index && d.model.findings === model.findings && d.model.sourceLabel === model.sourceLabel && d.model.view?.current === model.view?.current && d.model.view?.cluster === model.view?.cluster;
  }

  /** The graph of the model now, built when the model changed since the last one. */
  async latest(): Promise<Drawn | undefined> {
    if (this.building) await this.building;
    const model = this.deps.model(this.name);
    if (this.current(model)) return this.drawn;
    return this.build(model, this.subscribed);
  }

  /** The model changed: subscribers get the new graph (a patch of theirs) as soon as it is built. */
  changed(): void {
    if (!this.subscribed) return;
    if (this.building) {
      this.again = true;
      return;
    }
    const model = this.deps.model(this.name);
    if (!this.current(model)) void this.build(model, true);
  }

  private build(model: ScopeModel | undefined, notify: boolean): Promise<Drawn | undefined> {
    const run = (async () => {
      let graph: TopologyGraph | undefined;
      if (model) graph = await buildTopologyGraphInSlices(model.index, { findings: model.findings, sourceLabel: model.sourceLabel }, { pause });
      if (!model || !graph) {
        this.drawn = undefined;
        if (notify) this.send({ scope: this.name, version: 0, graph: null });
        return undefined;
      }
      if (notify) {
        const update = await this.feed.next(graph, { pause }, true);
        if (!update) return this.drawn;
        if (update === 'unchanged') {
          // The same picture: the model's objects are kept for traces, under the version the client holds.
          this.drawn = { model, index: model.index, graph, version: this.feed.version };
          return this.drawn;
        }
        this.drawn = { model, index: model.index, graph, version: update.version };
        const view = model.view ? { view: model.view } : {};
        this.send('patch' in update ? { scope: this.name, ...update, ...view } : { scope: this.name, version: update.version, graph: encodeGraph(update.graph), ...view });
      } else {
        // Not sent: the client holds another graph (or none); its version is the feed's next one when it is sent.
        this.drawn = { model, index: model.index, graph, version: 0 };
      }
      return this.drawn;
    })();
    const building = run.finally(() => {
      if (this.building === building) this.building = undefined;
      if (this.again) {
        this.again = false;
        this.changed();
      }
    });
    this.building = building;
    return building;
  }

  /** The whole graph for the client, recorded as the one it holds. */
  async whole(): Promise<GraphResult> {
    const drawn = await this.latest();
    if (!drawn) {
      this.feed.forget();
      return { scope: this.name, version: 0, graph: null };
    }
    const update = this.feed.whole(drawn.graph);
    drawn.version = update.version;
    return { scope: this.name, version: update.version, graph: encodeGraph(drawn.graph), ...(drawn.model.view ? { view: drawn.model.view } : {}) };
  }

  close(): void {
    this.subscribed = false;
    this.feed.forget();
  }
}

export class InspectorService {
  private readonly scopes: Record<GraphScope, Scope>;

  constructor(
    private readonly connection: Connection,
    private readonly deps: InspectorDeps,
  ) {
    const send = (params: GraphChangedParams) => void connection.sendNotification(GRAPH_CHANGED_NOTIFICATION, params);
    this.scopes = { files: new Scope('files', deps, send), cluster: new Scope('cluster', deps, send) };
  }

  register(): void {
    const c = this.connection;
    c.onRequest(GRAPH_REQUEST, async (params: GraphParams): Promise<GraphResult> => {
      const scope = this.scopeOf(params);
      await this.deps.ready();
      if (params.subscribe === true) scope.subscribed = true;
      return scope.whole();
    });
    c.onNotification(CLOSE_GRAPH_NOTIFICATION, (params: CloseGraphParams) => {
      if (isScope(params?.scope)) this.scopes[params.scope].close();
    });
    c.onRequest(TRACE_REQUEST, (params: TraceParams) => this.trace(params));
    c.onRequest(TRACE_QUESTIONS_REQUEST, async (params: TraceQuestionsParams): Promise<TraceQuestionsResult> => {
      const scope = this.scopeOf(params);
      await this.deps.ready();
      const drawn = await scope.latest();
      const graphIndex = drawn && (await indexOf(drawn));
      const questions = drawn && graphIndex ? questionsForNode(drawn, graphIndex, String(params.nodeId)) : undefined;
      return { version: drawn?.version ?? 0, questions: (questions ?? []).map((q) => ({ from: q.from, request: describeRequest(q.options), upstream: q.upstream })) };
    });
  }

  /** A scope's model changed (an edit analysed, a cluster event): subscribers get a patch. */
  changed(scope?: GraphScope): void {
    for (const name of scope ? [scope] : GRAPH_SCOPES) this.scopes[name].changed();
  }

  private scopeOf(params: { scope?: unknown } | undefined): Scope {
    if (!isScope(params?.scope)) throw new ResponseError(LSPErrorCodes.RequestFailed, `scope must be one of ${GRAPH_SCOPES.join(', ')}`);
    return this.scopes[params.scope];
  }

  private async trace(params: TraceParams): Promise<TraceResult> {
    const scope = this.scopeOf(params);
    if (params.question !== undefined && (!Number.isInteger(params.question) || params.question < 0)) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, "question is the index of one of the node's questions (kni/traceQuestions)");
    }
    await this.deps.ready();
    const drawn = await scope.latest();
    if (!drawn) return { version: 0, trace: null, problem: scope.name === 'cluster' ? 'no cluster is connected' : 'the workspace holds no Kubernetes objects' };
    const graphIndex = await indexOf(drawn);
    if (!graphIndex) return { version: drawn.version, trace: null, problem: 'the graph could not be indexed' };
    let nodeId: string;
    let questions: TraceQuestion[];
    if (params.target !== undefined) {
      if (!isTraceTarget(params.target)) throw new ResponseError(LSPErrorCodes.RequestFailed, 'a trace target is { serviceId, port? }, { url, method?, headers? }, { egress: { from, cidr?, port?, protocol? } } or { podToPod: { from, to, port? } }');
      const found = questionsForTarget(drawn, graphIndex, params.target);
      if ('problem' in found) return { version: drawn.version, trace: null, problem: found.problem };
      ({ nodeId, questions } = found);
    } else if (typeof params.nodeId === 'string') {
      nodeId = params.nodeId;
      const to = typeof params.to === 'string' ? params.to : undefined;
      const own = questionsForNode(drawn, graphIndex, nodeId, to);
      if (!own) return { version: drawn.version, trace: null, problem: `no node ${to === undefined ? nodeId : `${nodeId} or ${to}`} in the graph of version ${drawn.version}` };
      questions = own;
    } else {
      throw new ResponseError(LSPErrorCodes.RequestFailed, 'kni/trace needs a nodeId or a target');
    }
    if (params.question !== undefined) {
      const one = questions[params.question];
      if (!one) return { version: drawn.version, trace: null, problem: `the node has ${questions.length} question${questions.length === 1 ? '' : 's'}, not ${params.question + 1}` };
      questions = [{ ...one, upstream: true }];
    }
    const settings = this.deps.traceSettings();
    const trace = explainNode(drawn, graphIndex, nodeId, questions, settings) ?? null;
    const result: TraceResult = { version: drawn.version, trace };
    if (params.text && questions.length > 0) {
      try {
        result.text = formatTraceText(runTrace(drawn.index, questions[0].options, settings), describeRequest(questions[0].options));
      } catch (err) {
        result.text = `the trace engine failed: ${err instanceof Error ? err.message : String(err)}\n`;
      }
    }
    return result;
  }
}

const filesModels = new WeakMap<ReadonlyMap<string, readonly Finding[]>, { index: ModelIndex; files: number; model: ScopeModel }>();

/**
 * The workspace's files as the inspector draws them (undefined when no file
 * holds a Kubernetes object); the same object while neither the model nor the
 * findings changed, so an unchanged workspace is not drawn again.
 */
export function filesModel(index: ModelIndex, byFile: ReadonlyMap<string, readonly Finding[]>, view: ModelViewChoice | undefined): ScopeModel | undefined {
  let known = filesModels.get(byFile);
  if (!known || known.index !== index) {
    const files = new Set<string>();
    const m = index.model;
    for (const list of [m.namespaces, m.workloads, m.services, m.endpointSlices, m.ingresses, m.ingressClasses, m.routes, m.gateways, m.gatewayClasses, m.referenceGrants, m.networkPolicies, m.adminNetworkPolicies]) {
      for (const o of list as readonly { origin: { file?: string } }[]) if (o.origin.file !== undefined) files.add(o.origin.file);
    }
    known = { index, files: files.size, model: { index, findings: [...byFile.values()].flat(), sourceLabel: filesSourceLabel(files.size) } };
    filesModels.set(byFile, known);
  }
  if (known.files === 0 && !view) return undefined;
  if (known.model.view?.cluster !== view?.cluster) {
    const { view: _old, ...rest } = known.model;
    known.model = view ? { ...rest, view } : rest;
  }
  return known.model;
}

function isScope(v: unknown): v is GraphScope {
  return GRAPH_SCOPES.includes(v as GraphScope);
}

function indexOf(drawn: Drawn): Promise<GraphIndex | undefined> {
  drawn.graphIndex ??= indexGraphInSlices(drawn.graph, { pause });
  return drawn.graphIndex;
}
