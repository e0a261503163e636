// The inspector's side of the language server: the graph of a scope (the
// workspace's files, one render's release, or the connected cluster) as a
// compact message, its later changes as versioned patches to subscribers,
// traces of its nodes or of a target (core/topology's graph and explanation,
// the view model's feed and diff), and where a node's object is written.
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type { Finding } from '../core/findings/types';
import { ModelIndex } from '../core/model/model-index';
import { emptyModel } from '../core/model/collect';
import type { WorkspaceRenders } from '../core/workspace/workspace-renders';
import type { Loc } from '../core/model/types';
import { buildTopologyGraphInSlices, explainNode, filesSourceLabel, questionsForNode, questionsForTarget, runTrace, type DrawnGraph, type TraceQuestion, type TraceSettings } from '../core/topology';
import { describeRequest, formatTraceText } from '../cli/trace';
import {
  CLOSE_GRAPH_NOTIFICATION,
  GRAPH_CHANGED_NOTIFICATION,
  GRAPH_REQUEST,
  GRAPH_SCOPES,
  OBJECT_LOCATION_REQUEST,
  TRACE_QUESTIONS_REQUEST,
  TRACE_REQUEST,
  type CloseGraphParams,
  type GraphChangedParams,
  type GraphParams,
  type GraphResult,
  type GraphScope,
  type ModelViewChoice,
  type ObjectLocation,
  type ObjectLocationParams,
  type TopologyGraph,
  type TraceParams,
  type TraceQuestionsParams,
  type TraceQuestionsResult,
  type TraceResult,
  isGraphScope,
  isTraceTarget,
  renderIdOf,
} from '../protocol';
import { encodeGraph, GraphFeed, indexGraphInSlices, type GraphIndex } from '../view-model';

/** A model the inspector draws: its index, its findings and the header's words. */
export interface ScopeModel {
  index: ModelIndex;
  findings: readonly Finding[];
  sourceLabel: string;
  view?: ModelViewChoice;
  /** Where an object's location is written when that is not the location itself (a render's objects: their template or patch line). */
  locate?(loc: Loc): Loc | undefined;
}

export interface InspectorDeps {
  /** The scope's model now; undefined when there is none (no cluster connected). */
  model(scope: GraphScope): ScopeModel | undefined;
  traceSettings(): TraceSettings;
  /** Requests wait for the work queued before them (the analysis of an edit). */
  ready(): Promise<void>;
  /** Resolves when no render is scheduled or running: a trace in a render's release waits for the release. */
  rendersIdle(): Promise<void>;
  /** A location as the client opens it (undefined: no text of that file is known). */
  location(loc: Loc): ObjectLocation | undefined;
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
    return model === undefined ? d === undefined : d !== undefined && d.model.index === model.index && d.model.findings === model.findings && d.model.sourceLabel === model.sourceLabel && sameView(d.model.view, model.view);
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
        // A change of the files / cluster control alone (a cluster connected) is sent as an empty patch carrying it.
        const update = await this.feed.next(graph, { pause }, sameView(this.drawn?.model.view, model.view));
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
  /** The files' and the cluster's scopes, and the render scopes asked for (a closed one is dropped). */
  private readonly scopes = new Map<GraphScope, Scope>();
  private readonly send: (params: GraphChangedParams) => void;

  constructor(
    private readonly connection: Connection,
    private readonly deps: InspectorDeps,
  ) {
    this.send = (params) => void connection.sendNotification(GRAPH_CHANGED_NOTIFICATION, params);
    for (const name of GRAPH_SCOPES) this.scopes.set(name, new Scope(name, deps, this.send));
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
      if (!isGraphScope(params?.scope)) return;
      this.scopes.get(params.scope)?.close();
      if (!GRAPH_SCOPES.includes(params.scope)) this.scopes.delete(params.scope);
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
    c.onRequest(OBJECT_LOCATION_REQUEST, (params: ObjectLocationParams) => this.locate(params));
  }

  /** A scope's model changed (an edit analysed, a cluster event): its subscribers get a patch. */
  changed(scope?: GraphScope): void {
    for (const [name, s] of this.scopes) if (scope === undefined || name === scope) s.changed();
  }

  /** The workspace changed (an edit analysed, a render done): the files' and the renders' subscribers get a patch. */
  workspaceChanged(): void {
    for (const [name, s] of this.scopes) if (name !== 'cluster') s.changed();
  }

  private scopeOf(params: { scope?: unknown } | undefined): Scope {
    const name = params?.scope;
    if (!isGraphScope(name)) throw new ResponseError(LSPErrorCodes.RequestFailed, `scope must be one of ${GRAPH_SCOPES.join(', ')} or render:<render id>`);
    let scope = this.scopes.get(name);
    if (!scope) {
      scope = new Scope(name, this.deps, this.send);
      this.scopes.set(name, scope);
    }
    return scope;
  }

  private async locate(params: ObjectLocationParams): Promise<ObjectLocation | null> {
    const scope = this.scopeOf(params);
    if (typeof params.objectId !== 'string') throw new ResponseError(LSPErrorCodes.RequestFailed, "objectId is a node's objectId");
    await this.deps.ready();
    const drawn = await scope.latest();
    const origin = drawn?.index.byId(params.objectId)?.origin;
    const at = origin?.nameLoc ?? origin?.loc;
    // A render's objects are written in rendered documents: their template or patch line instead.
    const loc = at && drawn?.model.locate ? drawn.model.locate(at) : at;
    return (loc && this.deps.location(loc)) ?? null;
  }

  private async trace(params: TraceParams): Promise<TraceResult> {
    const scope = this.scopeOf(params);
    if (params.question !== undefined && (!Number.isInteger(params.question) || params.question < 0)) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, "question is the index of one of the node's questions (kni/traceQuestions)");
    }
    // "Trace request" on a template just saved: the trace is of the release being rendered, not the last one.
    if (renderIdOf(scope.name) !== undefined) await this.deps.rendersIdle();
    await this.deps.ready();
    const drawn = await scope.latest();
    if (!drawn) return { version: 0, trace: null, problem: noModel(scope.name) };
    const graphIndex = await indexOf(drawn);
    if (!graphIndex) return { version: drawn.version, trace: null, problem: 'the graph could not be indexed' };
    let nodeId: string;
    let questions: TraceQuestion[];
    if (params.target !== undefined) {
      if (!isTraceTarget(params.target)) throw new ResponseError(LSPErrorCodes.RequestFailed, 'a trace target is { serviceId, port? }, { url, method?, headers? }, { egress: { from, cidr?, port?, protocol? } }, { podToPod: { from, to, port? } } or { localhost: { from, port } }');
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

/** Why a scope has no model, for a trace's `problem`. */
function noModel(scope: GraphScope): string {
  const render = renderIdOf(scope);
  if (render !== undefined) return `the workspace has no render ${render} (kni/renders lists them)`;
  return scope === 'cluster' ? 'no cluster is connected' : 'the workspace holds no Kubernetes objects';
}

function sameView(a: ModelViewChoice | undefined, b: ModelViewChoice | undefined): boolean {
  return a?.current === b?.current && a?.cluster === b?.cluster;
}

/**
 * One render's release as the inspector draws it, named by its render (its
 * state in the header while it is not rendered); its objects reveal their
 * template or patch line. Undefined for a render the workspace does not have.
 */
export function renderModel(renders: WorkspaceRenders, id: string, view: ModelViewChoice | undefined): ScopeModel | undefined {
  const r = renders.find(id);
  if (!r) return undefined;
  const session = r.entry.session;
  const state = r.entry.state === 'rendered' ? '' : r.entry.state === 'failed' ? ' (failed: see the Problems panel)' : ` (${r.entry.state})`;
  const model: ScopeModel = {
    index: session ? session.analysis.index() : emptyIndex(),
    findings: session ? session.analysis.findings() : NO_FINDINGS,
    sourceLabel: `render ${r.entry.spec.name}${state}`,
    locate: (loc) => renders.sourceLoc(r, loc),
  };
  return view ? { ...model, view } : model;
}

const NO_FINDINGS: readonly Finding[] = [];
let empty: ModelIndex | undefined;
const emptyIndex = () => (empty ??= new ModelIndex(emptyModel('manifests', 'default')));

function indexOf(drawn: Drawn): Promise<GraphIndex | undefined> {
  drawn.graphIndex ??= indexGraphInSlices(drawn.graph, { pause });
  return drawn.graphIndex;
}
