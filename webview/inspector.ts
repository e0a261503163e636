// The inspector's controller: holds the model and what the user did to the
// view (zoom, pinned trace, expanded groups, namespace, search), picks the
// drawing surface for the graph's size, and keeps all of it across model
// updates and panel reloads (getState/setState).
import * as d3 from 'd3';
import type { ModelViewChoice, PatchMessage, TopologyGraph, TraceMessage, TraceView, WebviewToHost } from '../src/protocol';
import { applyGraphPatch, indexGraph, isEmptyPatch, pairTraceView, traceDestinations, traceViewFor, type GraphIndex } from '../src/view-model';
import { CanvasRenderer } from './canvas-renderer';
import { TracePanel } from './panel';
import type { Renderer } from './renderer';
import { arrange, FIT_PAD, isArrangement, LEGIBLE_ZOOM, sceneFor, TITLE_SPACE, type Arrangement } from './arrange';
import { buildScene, highlightFor, shownText, worstSeverity, type Scene, type SceneNode } from './scene';
import { serializeSvg, SvgRenderer } from './svg-renderer';
import { Toolbar } from './toolbar';

/** Above this many drawn elements (nodes + edges) the canvas takes over from SVG. */
export const SVG_LIMIT = 1500;
/** A model update that moves at most this many nodes glides; more jump. */
const ANIMATE_LIMIT = 60;
const HOVER_DELAY_MS = 60;
const SAVE_DELAY_MS = 150;
/** The zoom's lower bound: "Show everything" at 20,000 Pods in a side panel. */
const MIN_ZOOM = 0.0005;
/** Which way a framed path reads from its anchor: from it to the right (a trace), or from the left to it (a finding). */
type FrameReading = 'from-anchor' | 'to-anchor';
/** At most this many objects upstream of a finding are framed with it. */
const UPSTREAM_FRAMED = 12;
/** A resize refits the view this long after the panel stops changing size (when the user has not moved it). */
const REFIT_DELAY_MS = 120;

export interface SavedState {
  v: 1;
  transform?: { x: number; y: number; k: number };
  pinned?: string;
  /** The pinned trace's destination, for a trace from `pinned` to another object (the world outside, a Pod). */
  pinnedTo?: string;
  expanded?: string[];
  namespace?: string;
  search?: string;
  /** How the drawing was arranged for the panel (the saved zoom is a place in that picture). */
  arrangement?: Arrangement;
}

export interface InspectorOptions {
  post(message: WebviewToHost): void;
  saveState(state: SavedState): void;
  restored?: SavedState;
}

export class Inspector {
  /** Set while applyTransform() moves the view, so the zoom handler tells the renderer it is a jump. */
  private jumping = false;
  private graph: TopologyGraph | undefined;
  /** The host's version of `graph` (patches name the version they apply to). */
  private version: number | undefined;
  private view: ModelViewChoice | undefined;
  /** The graph's index for local traces: built when one is first needed (a cluster's redraw per watch event rarely needs it). */
  private graphIndexCache: GraphIndex | undefined;
  private scene: Scene | undefined;
  private renderer: Renderer | undefined;
  private readonly stage: HTMLElement;
  private readonly panel: TracePanel;
  private readonly toolbar: Toolbar;
  private readonly live: HTMLElement;
  private readonly zoom: d3.ZoomBehavior<HTMLElement, unknown>;
  private transform = d3.zoomIdentity;
  private hadTransform = false;
  /** The arrangement drawn (undefined: the classic columns, a graph for the canvas). */
  private arrangement: Arrangement | undefined;
  /** The view is where fit() put it (the user has not zoomed or panned since): a resize fits again. */
  /** How the view was last fitted (and is fitted again when the panel is resized), until the user moves it. */
  private fitted: 'legible' | 'everything' | undefined;
  /** What the arrangement was chosen for: fit() chooses again only when the graph, the view options or the panel's size changed. */
  private arrangedFor: { graph: TopologyGraph; expanded: string; namespace: string | undefined; w: number; h: number } | undefined;
  private refitTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly outside: HTMLElement;
  private expanded = new Set<string>();
  private namespace: string | undefined;
  private search = '';
  private matches = new Set<string>();
  private hovered: string | undefined;
  /** The hovered link's destination (a link to the world outside: `hovered` is its source). */
  private hoveredTo: string | undefined;
  private hoverTrace: TraceView | undefined;
  private pinned: string | undefined;
  /** The pinned trace's destination, when it runs from `pinned` to another object. */
  private pinnedTo: string | undefined;
  private pinnedTrace: TraceView | undefined;
  /** The pinned trace's alternative (another client's request) is shown instead of it. */
  private showAlternative = false;
  private focused: string | undefined;
  private requestSeq = 0;
  private readonly requests = new Map<number, { nodeId: string; to?: string; pin: boolean }>();
  private hoverTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingHostTrace: TraceMessage | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** What was last handed to setState (tests wait for it before reloading). */
  private saved: SavedState | undefined;

  constructor(
    private readonly root: HTMLElement,
    private readonly options: InspectorOptions,
  ) {
    root.replaceChildren();
    this.toolbar = new Toolbar(root, {
      namespace: (ns) => {
        this.namespace = ns;
        this.rebuild(false);
        this.fit();
        this.save();
      },
      search: (q, jump) => this.setSearch(q, jump),
      view: (view) => this.options.post({ type: 'selectView', view }),
      fit: () => this.fit(),
      fitAll: () => this.fitAll(),
      expandAll: (expand) => this.expandAll(expand),
      exportAs: (format) => void this.exportAs(format),
    });
    const main = document.createElement('div');
    main.className = 'main';
    root.appendChild(main);
    this.stage = document.createElement('div');
    this.stage.className = 'stage';
    main.appendChild(this.stage);
    this.outside = document.createElement('div');
    this.outside.className = 'outside-note';
    this.outside.hidden = true;
    this.stage.appendChild(this.outside);
    this.panel = new TracePanel(main, {
      toggleAlternative: () => {
        this.showAlternative = !this.showAlternative;
        this.display();
      },
      traceTo: (to: string | undefined) => {
        if (this.pinned) this.pin(this.pinned, to);
      },
    });
    this.live = document.createElement('div');
    this.live.className = 'visually-hidden';
    this.live.setAttribute('aria-live', 'polite');
    root.appendChild(this.live);

    const r = options.restored;
    if (r) {
      if (r.transform && [r.transform.x, r.transform.y, r.transform.k].every(Number.isFinite) && r.transform.k > 0) {
        this.transform = d3.zoomIdentity.translate(r.transform.x, r.transform.y).scale(r.transform.k);
        this.hadTransform = true;
      }
      this.pinned = typeof r.pinned === 'string' ? r.pinned : undefined;
      this.pinnedTo = this.pinned !== undefined && typeof r.pinnedTo === 'string' ? r.pinnedTo : undefined;
      this.expanded = new Set((r.expanded ?? []).filter((x) => typeof x === 'string'));
      this.namespace = typeof r.namespace === 'string' ? r.namespace : undefined;
      this.search = typeof r.search === 'string' ? r.search : '';
      this.arrangement = isArrangement(r.arrangement) ? { direction: r.arrangement.direction, foldEndpoints: r.arrangement.foldEndpoints, detailRoom: r.arrangement.detailRoom } : undefined;
    }

    this.zoom = d3
      .zoom<HTMLElement, unknown>()
      .scaleExtent([MIN_ZOOM, 4])
      .filter((event: Event) => {
        // Wheel always zooms; a drag pans only from the background or the canvas, so a click on a node stays a click.
        if (event.type === 'wheel') return true;
        const t = event.target as Element;
        return !t.closest?.('g.node') && !(event as MouseEvent).button;
      })
      .on('zoom', (event: d3.D3ZoomEvent<HTMLElement, unknown>) => {
        this.transform = event.transform;
        if (!this.jumping) this.fitted = undefined;
        this.renderer?.setTransform(event.transform, this.jumping);
        // Not on every frame of a pan: setState clones the state each time.
        clearTimeout(this.saveTimer);
        this.saveTimer = setTimeout(() => {
          this.save();
          this.updateOutside();
        }, SAVE_DELAY_MS);
      });
    d3.select(this.stage).call(this.zoom).on('dblclick.zoom', null);
    // A panel moved beside the editor or maximised: arranged and fitted again, unless the user has moved the view.
    new ResizeObserver(() => {
      clearTimeout(this.refitTimer);
      this.refitTimer = setTimeout(() => {
        // The fit the user last had: "Show everything" stays everything in the new size.
        if (this.fitted === 'everything' && this.scene) this.fitAll();
        else if (this.fitted && this.scene) this.fit();
        else this.updateOutside();
      }, REFIT_DELAY_MS);
    }).observe(this.stage);
    this.stage.addEventListener('keydown', (e) => this.onKey(e));
    // Escape clears the trace from anywhere in the panel (the toolbar, the side panel).
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !this.stage.contains(e.target as Node)) this.clear();
    });
  }

  // ------------------------------------------------------------ host messages

  setModel(graph: TopologyGraph, view?: ModelViewChoice, version?: number): { nodes: number; edges: number } {
    this.version = version;
    return this.draw(graph, view);
  }

  /**
   * Applies the host's changes to the graph held: the same drawing as the whole
   * new graph would give. Undefined when the patch is not for the graph held
   * (one was lost or came out of order): the caller asks for the whole graph.
   */
  applyPatch(message: PatchMessage): { nodes: number; edges: number } | undefined {
    if (!this.graph || this.version === undefined || message.baseVersion !== this.version) return undefined;
    this.version = message.version;
    if (isEmptyPatch(message.patch) && sameView(this.view, message.view)) return { nodes: this.scene!.nodes.length, edges: this.scene!.edges.length };
    const p = message.patch;
    const removed = new Set(p.removedNodes);
    const moved = p.removedNodes.length + p.nodes.filter((u) => removed.has(u.item.id) || !this.hasNode(u.item.id)).length;
    return this.draw(applyGraphPatch(this.graph, p), message.view, moved);
  }

  /** `moved`: how many nodes came or went, when the caller knows (a patch says so); else counted here. */
  private draw(graph: TopologyGraph, view: ModelViewChoice | undefined, moved?: number): { nodes: number; edges: number } {
    const previous = this.scene;
    // Another graph altogether (the files' model and then the cluster's): the view the old one had means nothing for it.
    // (No choice offered: the files' model. Connecting a cluster while the files are drawn keeps their view.)
    const another = previous !== undefined && (this.view?.current ?? 'files') !== (view?.current ?? 'files');
    this.view = view;
    this.toolbar.setView(view);
    this.graph = graph;
    this.graphIndexCache = undefined;
    const namespaces = [...new Set(graph.nodes.map((n) => n.namespace).filter((n): n is string => n !== undefined))].sort();
    if (this.namespace !== undefined && !namespaces.includes(this.namespace)) this.namespace = undefined;
    this.toolbar.setSource(graph.sourceLabel, graph.objects ?? graph.nodes.length);
    this.toolbar.setNamespaces(namespaces, this.namespace);
    this.toolbar.setSearch(this.search);
    if (this.pinned && !this.hasNode(this.pinned)) this.pinned = undefined;
    if (!this.pinned || (this.pinnedTo && !this.hasNode(this.pinnedTo))) this.pinnedTo = undefined;
    if (this.hovered && !this.hasNode(this.hovered)) this.hovered = undefined;
    if (!this.hovered || (this.hoveredTo && !this.hasNode(this.hoveredTo))) this.hoveredTo = undefined;

    const changes = previous ? (moved ?? this.countChanges(previous, graph)) : Infinity;
    this.rebuild(!another && changes <= ANIMATE_LIMIT);
    if ((!previous && !this.hadTransform) || another || (previous && changes > Math.max(previous.graph.nodes.length, graph.nodes.length) / 2)) this.fit();
    this.applyTransform();
    // The model changed: what the traces say may have too.
    this.hoverTrace = undefined;
    this.pinnedTrace = undefined;
    if (this.pinned) this.requestTrace(this.pinned, true, this.pinnedTo);
    else this.display();
    if (this.pendingHostTrace) {
      const m = this.pendingHostTrace;
      this.pendingHostTrace = undefined;
      this.onTrace(m);
    }
    return { nodes: this.scene!.nodes.length, edges: this.scene!.edges.length };
  }

  onTrace(message: TraceMessage): void {
    if (!this.graph) {
      this.pendingHostTrace = message;
      return;
    }
    const { trace } = message;
    if (!this.hasNode(trace.nodeId)) return;
    if (message.requestId !== undefined) {
      const asked = this.requests.get(message.requestId);
      this.requests.delete(message.requestId);
      if (!asked || asked.nodeId !== trace.nodeId || asked.to !== trace.toNodeId) return;
      if (asked.pin && this.pinned === trace.nodeId && this.pinnedTo === trace.toNodeId) this.pinnedTrace = trace;
      else if (!asked.pin && this.hovered === trace.nodeId && this.hoveredTo === trace.toNodeId) this.hoverTrace = trace;
      else return;
    } else {
      // The editor asked for this trace ("Trace request", "Trace egress"): pin it and bring it into view.
      if (trace.toNodeId !== undefined && !this.hasNode(trace.toNodeId)) return;
      this.pinned = trace.nodeId;
      this.pinnedTo = trace.toNodeId;
      this.pinnedTrace = trace;
      this.showAlternative = false;
      const shown = this.scene?.view.shownAs.get(trace.nodeId) ?? trace.nodeId;
      if (!this.allInView()) this.frame(trace.nodeIds.map((id) => this.scene?.view.shownAs.get(id) ?? id), shown, LEGIBLE_ZOOM, 'from-anchor');
      this.renderer?.setSelected(shown);
      this.save();
    }
    this.display();
  }

  /** Pans the view by (dx, dy) screen pixels (the benchmark's pan; Shift+arrows). */
  panBy(dx: number, dy: number): void {
    d3.select(this.stage).call(this.zoom.translateBy, dx / this.transform.k, dy / this.transform.k);
  }

  /** Zooms by `factor` about the middle of the view (the benchmark's zoom; + and - keys). */
  zoomBy(factor: number): void {
    d3.select(this.stage).call(this.zoom.scaleBy, factor, [this.stage.clientWidth / 2, this.stage.clientHeight / 2]);
  }

  /** Expands or folds every workload (the toolbar's button). */
  expandAll(expand: boolean): void {
    this.expanded = expand ? new Set(this.graph?.nodes.filter((n) => n.group).map((n) => n.group!)) : new Set();
    this.rebuild(false);
    this.save();
  }

  /** What the webview shows, for tests and the benchmark. */
  get debug() {
    return { graph: this.graph, version: this.version, scene: this.scene, renderer: this.renderer, transform: this.transform, pinned: this.pinned, pinnedTo: this.pinnedTo, pinnedTrace: this.pinnedTrace, hoverTrace: this.hoverTrace, namespace: this.namespace, saved: this.saved };
  }

  // ------------------------------------------------------------ drawing

  /**
   * Builds the scene: in the arrangement drawn, or (`rearrange`, or none yet)
   * the first one legible whole in the panel. A graph too large for SVG keeps
   * the classic columns (the canvas draws them at any scale).
   */
  private rebuild(animate: boolean, rearrange = false): void {
    const graph = this.graph;
    if (!graph) return;
    const view = { expanded: this.expanded, namespace: this.namespace };
    const sizeOf = (s: Scene) => s.nodes.length + s.edges.length;
    if (rearrange) {
      // Nothing to choose again when nothing it was chosen for changed, or for the canvas (its columns are fixed).
      const { w, h } = this.viewSize();
      const f = this.arrangedFor;
      if (this.scene && (this.renderer?.kind === 'canvas' || (f && f.graph === graph && f.expanded === [...this.expanded].sort().join('\n') && f.namespace === this.namespace && f.w === w && f.h === h))) return;
    }
    let scene = this.arrangement && !rearrange ? sceneFor(graph, view, this.arrangement) : undefined;
    if (!scene || sizeOf(scene) > SVG_LIMIT) {
      const classic = buildScene(graph, view);
      if (sizeOf(classic) > SVG_LIMIT) {
        scene = classic;
        this.arrangement = undefined;
      } else if (!scene) {
        const { w, h } = this.viewSize();
        const arranged = arrange(graph, view, w, h);
        scene = arranged.scene;
        this.arrangement = arranged.arrangement;
        this.arrangedFor = { graph, expanded: [...this.expanded].sort().join('\n'), namespace: this.namespace, w, h };
      }
    }
    this.scene = scene;
    const size = sizeOf(scene);
    const kind = size > SVG_LIMIT ? 'canvas' : 'svg';
    if (this.renderer?.kind !== kind) {
      this.renderer?.destroy();
      const events = {
        hover: (id: string | undefined, to?: string) => this.onHover(id, to),
        activate: (id: string, how: 'click' | 'key', to?: string) => this.activate(id, how, to),
        focus: (id: string) => {
          this.focused = id;
          this.ensureVisible(id);
        },
      };
      this.renderer = kind === 'svg' ? new SvgRenderer(this.stage, events) : new CanvasRenderer(this.stage, events);
      animate = false;
    }
    this.renderer.setScene(this.scene, animate);
    this.renderer.setTransform(this.transform, true);
    this.updateMatches();
    this.renderer.setSelected(this.pinned ? this.scene.view.shownAs.get(this.pinned) : undefined);
    this.display();
  }

  /**
   * Draws the trace the user looks at: the hovered object's (a preview, while
   * a trace is pinned), else the pinned one (or its alternative, when chosen).
   */
  private display(): void {
    const scene = this.scene;
    if (!scene || !this.renderer) return;
    const previewing = this.hovered !== undefined && (this.hovered !== this.pinned || this.hoveredTo !== this.pinnedTo) && this.hasNode(this.hovered);
    let trace: TraceView | undefined;
    let state: 'hover' | 'preview' | 'pinned' | undefined;
    if (previewing) {
      trace = this.hoverTrace ?? this.localTrace(this.hovered!, this.hoveredTo);
      state = this.pinned ? 'preview' : 'hover';
    } else if (this.pinned) {
      const pinned = this.pinnedTrace ?? this.localTrace(this.pinned, this.pinnedTo);
      trace = this.showAlternative && pinned?.alternative ? pinned.alternative : pinned;
      state = 'pinned';
    }
    this.renderer.setHighlight(trace ? highlightFor(scene, trace) : undefined, state === 'pinned');
    const node = trace ? scene.byId.get(scene.view.shownAs.get(trace.nodeId) ?? trace.nodeId) : undefined;
    const pinnedTrace = this.pinnedTrace;
    const pinnedTitle = this.pinned ? (pinnedTrace?.title ?? scene.byId.get(this.pinned)?.label) : undefined;
    // A pinned workload or Pod can be traced to another object: the world outside, another workload or Pod.
    const destinations = state === 'pinned' && this.graph && this.pinned ? traceDestinations(this.graph, this.pinned) : [];
    this.panel.show(trace, node, state ?? 'hover', state === 'pinned' && pinnedTrace?.alternative ? (this.showAlternative ? pinnedTrace : pinnedTrace.alternative) : trace?.alternative, this.showAlternative && state === 'pinned', pinnedTitle, { destinations, current: this.pinnedTo });
  }

  private get graphIndex(): GraphIndex | undefined {
    if (!this.graphIndexCache && this.graph) this.graphIndexCache = indexGraph(this.graph);
    return this.graphIndexCache;
  }

  /** Whether the graph has the node: the scene's map of every graph node once it is built for this graph, else a scan. */
  private hasNode(id: string): boolean {
    const scene = this.scene;
    if (scene && scene.graph === this.graph) return scene.view.shownAs.has(id);
    return this.graph?.nodes.some((n) => n.id === id) ?? false;
  }

  private localTrace(id: string, to?: string): TraceView | undefined {
    if (!this.graph) return undefined;
    if (to === undefined) return traceViewFor(this.graph, id, undefined, this.graphIndex);
    // The engine's answer is on its way: the two ends and the link between them, said so.
    const view = pairTraceView(this.graph, id, { from: id, to }, { verdict: 'unknown', reason: 'Asking the trace engine…', hops: [] }, this.graphIndex);
    if (view) view.fromEngine = false;
    return view;
  }

  /** Moves the view to this.transform at once (a jump, drawn sharp where it lands). */
  private applyTransform(): void {
    this.jumping = true;
    try {
      d3.select(this.stage).call(this.zoom.transform, this.transform);
    } finally {
      this.jumping = false;
    }
  }

  /**
   * Fits the drawing to the view, never below a legible scale (names 11 px on
   * screen): the graph is arranged for the panel (see arrange.ts) and shown
   * whole when it is legible whole; a larger one (a cluster with thousands of
   * Pods in a side panel) is shown at LEGIBLE_ZOOM, the note under it saying
   * how much is left out,
   * framed on what the user most likely wants to read: the pinned trace, else
   * the first object with the worst finding and the path that reaches it, else the first
   * columns from the top. fitAll() shows everything, however small.
   */
  private fit(): void {
    if (!this.scene) return;
    // Arranged again for the panel's size: a narrow panel reads best down, a short one with endpoints folded.
    const before = this.arrangement;
    this.rebuild(false, true);
    if (JSON.stringify(this.arrangement) !== JSON.stringify(before)) this.save();
    const scene = this.scene!;
    const { w, h } = this.viewSize();
    const all = Math.min(1, w / (Math.max(scene.layout.width, 1) + 2 * FIT_PAD), h / (Math.max(scene.layout.height, 1) + 2 * FIT_PAD + TITLE_SPACE));
    if (all >= LEGIBLE_ZOOM) {
      this.fitAll();
      // Whole because it is legible whole: a smaller panel frames a part again.
      this.fitted = 'legible';
      return;
    }
    const focus = this.relevantPart(scene);
    if (focus) this.frame(focus.ids, focus.anchor, LEGIBLE_ZOOM, focus.reads);
    else {
      // The first columns from the top: where a request starts.
      const k = LEGIBLE_ZOOM;
      this.transform = d3.zoomIdentity.translate(FIT_PAD * k, (FIT_PAD + TITLE_SPACE) * k).scale(k);
      this.applyTransform();
    }
    this.fitted = 'legible';
    this.updateOutside();
  }

  /** Whether every object is drawn inside the view. */
  private allInView(): boolean {
    return this.countOutside() === 0;
  }

  /** How many drawn objects are (partly) outside the view. */
  private countOutside(): number {
    const scene = this.scene;
    if (!scene) return 0;
    const t = this.transform;
    const { w, h } = this.viewSize();
    let outside = 0;
    for (const n of scene.nodes) {
      const x = t.applyX(n.x);
      const y = t.applyY(n.y);
      if (x < -1 || y < -1 || x + n.w * t.k > w + 1 || y + n.h * t.k > h + 1) outside++;
    }
    return outside;
  }

  /** Says how much of the drawing the view leaves out (a framed part of a large graph, or the user's zoom). */
  private updateOutside(): void {
    const outside = this.countOutside();
    this.outside.hidden = outside === 0;
    this.outside.textContent = outside === 0 ? '' : `${outside.toLocaleString('en-US')} more object${outside === 1 ? '' : 's'} outside the view`;
  }

  /** Everything in view, centred, however small (the toolbar's "Show everything"). */
  fitAll(): void {
    const scene = this.scene;
    if (!scene) return;
    const { w, h } = this.viewSize();
    const gw = Math.max(scene.layout.width, 1) + 2 * FIT_PAD;
    const gh = Math.max(scene.layout.height, 1) + 2 * FIT_PAD + TITLE_SPACE;
    const k = Math.max(MIN_ZOOM, Math.min(1, w / gw, h / gh));
    const tx = (w - gw * k) / 2 + FIT_PAD * k;
    const ty = (h - gh * k) / 2 + (FIT_PAD + TITLE_SPACE) * k;
    this.transform = d3.zoomIdentity.translate(tx, ty).scale(k);
    this.applyTransform();
    this.fitted = 'everything';
    this.updateOutside();
  }

  /** What fit() frames when the whole graph is too large to read: ids of the scene and the one that must stay in view. */
  private relevantPart(scene: Scene): { ids: string[]; anchor: string; reads: FrameReading } | undefined {
    const shown = (id: string) => scene.view.shownAs.get(id) ?? id;
    if (this.pinned) {
      const trace = this.pinnedTrace ?? this.localTrace(this.pinned);
      const anchor = shown(this.pinned);
      if (scene.byId.has(anchor)) return { ids: [anchor, ...(trace?.nodeIds.map(shown) ?? [])], anchor, reads: 'from-anchor' };
    }
    let worst: SceneNode | undefined;
    let worstRank = 0;
    const rank = { error: 3, warning: 2, info: 1 } as const;
    for (const n of scene.nodes) {
      const sev = worstSeverity(n);
      // Reading order: the first one of the worst severity wins.
      if (sev && rank[sev] > worstRank) {
        worst = n;
        worstRank = rank[sev];
        if (worstRank === 3) break;
      }
    }
    if (!worst) return undefined;
    // With the path that reaches it (Service, endpoints, Ingress: the columns to its left), read left to right.
    const into = new Map<string, string[]>();
    for (const e of scene.edges) (into.get(e.to) ?? into.set(e.to, []).get(e.to)!).push(e.from);
    const ids = [worst.id];
    const seen = new Set(ids);
    for (let i = 0; i < ids.length && ids.length < UPSTREAM_FRAMED; i++) {
      for (const from of into.get(ids[i]) ?? []) {
        if (!seen.has(from)) {
          seen.add(from);
          ids.push(from);
        }
      }
    }
    return { ids, anchor: worst.id, reads: 'to-anchor' };
  }

  /**
   * Frames the nodes at a scale between `minK` and 1: centred when they fit.
   * Otherwise, for a path that reads to the anchor (a finding and what
   * reaches it), from their left and top; for one that reads from it (a
   * pinned trace: where the Service's requests go), with everything right of
   * the anchor in view if it fits, else from the anchor's column; the anchor
   * is centred if it would still be out of view.
   */
  private frame(ids: string[], anchor: string | undefined, minK: number, reads: FrameReading): void {
    const scene = this.scene;
    const nodes = ids.map((id) => scene?.byId.get(id)).filter((n): n is SceneNode => n !== undefined);
    if (!scene || nodes.length === 0) return;
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (const n of nodes) {
      x0 = Math.min(x0, n.x - 30);
      y0 = Math.min(y0, n.y - 40);
      x1 = Math.max(x1, n.x + n.w + 30);
      y1 = Math.max(y1, n.y + n.h + 30);
    }
    const { w, h } = this.viewSize();
    const k = Math.max(minK, Math.min(1, w / (x1 - x0), h / (y1 - y0)));
    let tx = (x1 - x0) * k <= w ? (w - (x1 - x0) * k) / 2 - x0 * k : -x0 * k;
    let ty = (y1 - y0) * k <= h ? (h - (y1 - y0) * k) / 2 - y0 * k : -y0 * k;
    const a = anchor !== undefined ? scene.byId.get(anchor) : undefined;
    if (a && reads === 'from-anchor' && (x1 - x0) * k > w) {
      // The downstream part right-aligned (as much of the upstream as fits beside it), or from the anchor's column.
      tx = (x1 - (a.x - 30)) * k <= w ? w - x1 * k : -(a.x - 30) * k;
    }
    if (a) {
      const ax = tx + a.x * k;
      const ay = ty + a.y * k;
      if (ax < 0 || ax + a.w * k > w) tx = w / 2 - (a.x + a.w / 2) * k;
      if (ay < 0 || ay + a.h * k > h) ty = h / 2 - (a.y + a.h / 2) * k;
    }
    this.transform = d3.zoomIdentity.translate(tx, ty).scale(k);
    this.applyTransform();
  }

  private viewSize(): { w: number; h: number } {
    return { w: this.stage.clientWidth || 800, h: this.stage.clientHeight || 600 };
  }

  private centerOn(id: string): void {
    const n = this.scene?.byId.get(id);
    if (!n) return;
    const k = Math.max(this.transform.k, 0.6);
    const w = this.stage.clientWidth || 800;
    const h = this.stage.clientHeight || 600;
    this.transform = d3.zoomIdentity.translate(w / 2 - (n.x + n.w / 2) * k, h / 2 - (n.y + n.h / 2) * k).scale(k);
    this.applyTransform();
  }

  private ensureVisible(id: string): void {
    const n = this.scene?.byId.get(id);
    if (!n) return;
    const t = this.transform;
    const x = t.applyX(n.x);
    const y = t.applyY(n.y);
    if (x < 0 || y < 0 || x + n.w * t.k > this.stage.clientWidth || y + n.h * t.k > this.stage.clientHeight) this.centerOn(id);
  }

  private countChanges(previous: Scene, graph: TopologyGraph): number {
    let changed = Math.abs(previous.graph.nodes.length - graph.nodes.length);
    const before = new Set(previous.graph.nodes.map((n) => n.id));
    for (const n of graph.nodes) if (!before.has(n.id)) changed++;
    return changed;
  }

  // ------------------------------------------------------------ interaction

  private onHover(id: string | undefined, to?: string): void {
    if (id === this.hovered && to === this.hoveredTo) return;
    this.hovered = id;
    this.hoveredTo = id === undefined ? undefined : to;
    this.hoverTrace = undefined;
    clearTimeout(this.hoverTimer);
    // While a trace is pinned, hovering another object previews its trace; leaving brings the pin back.
    this.display();
    if (id && (id !== this.pinned || to !== this.pinnedTo)) this.hoverTimer = setTimeout(() => this.requestTrace(id, false, to), HOVER_DELAY_MS);
  }

  private activate(id: string, how: 'click' | 'key', to?: string): void {
    const node = this.scene?.byId.get(id);
    if (!node) return;
    if (to !== undefined) {
      // A link to the world outside: its source traced to it, pinned.
      this.focused = id;
      this.pin(id, to);
      return;
    }
    this.focused = id;
    const isGroup = node.folded !== undefined || this.expanded.has(id);
    if (isGroup && how === 'click') {
      if (this.expanded.has(id)) this.expanded.delete(id);
      else this.expanded.add(id);
      this.announce(`${node.label}: ${this.expanded.has(id) ? 'expanded' : 'collapsed'}`);
      this.rebuild(true);
      this.ensureVisible(id);
    }
    this.pin(id);
    if (how === 'click' && node.objectId) this.options.post({ type: 'reveal', objectId: node.objectId });
  }

  private pin(id: string, to?: string): void {
    this.pinned = id;
    this.pinnedTo = to;
    this.pinnedTrace = undefined;
    this.showAlternative = false;
    this.renderer?.setSelected(id);
    this.requestTrace(id, true, to);
    this.display();
    const n = this.scene?.byId.get(id);
    const dest = to !== undefined ? this.graph?.nodes.find((x) => x.id === to) : undefined;
    if (n) this.announce(`Pinned the trace of ${n.label}${dest ? ` to ${dest.label}` : ''}`);
    this.save();
  }

  clear(): void {
    this.pinned = undefined;
    this.pinnedTo = undefined;
    this.pinnedTrace = undefined;
    this.showAlternative = false;
    this.renderer?.setSelected(undefined);
    this.display();
    this.announce('Trace cleared');
    this.save();
  }

  private requestTrace(nodeId: string, pin: boolean, to?: string): void {
    const requestId = ++this.requestSeq;
    this.requests.set(requestId, { nodeId, to, pin });
    // Old requests for the same purpose will never be displayed.
    for (const [id, r] of this.requests) if (id !== requestId && r.pin === pin) this.requests.delete(id);
    this.options.post({ type: 'traceRequest', requestId, nodeId, pin, ...(to !== undefined ? { to } : {}) });
  }

  private onKey(e: KeyboardEvent): void {
    const scene = this.scene;
    if (!scene) return;
    if (e.key === 'Escape') {
      this.clear();
      e.preventDefault();
      return;
    }
    const focusedId = this.renderer?.kind === 'svg' ? ((e.target as Element).closest?.('g.node')?.getAttribute('data-id') ?? undefined) : this.focused;
    if ((e.key === 'Enter' || e.key === ' ') && focusedId) {
      this.activate(focusedId, 'key');
      e.preventDefault();
      return;
    }
    if (e.key === '+' || e.key === '=' || e.key === '-') {
      this.zoomBy(e.key === '-' ? 1 / 1.25 : 1.25);
      e.preventDefault();
      return;
    }
    if (e.shiftKey && e.key.startsWith('Arrow')) {
      const d = 80;
      this.panBy(e.key === 'ArrowLeft' ? d : e.key === 'ArrowRight' ? -d : 0, e.key === 'ArrowUp' ? d : e.key === 'ArrowDown' ? -d : 0);
      e.preventDefault();
      return;
    }
    const step = e.key === 'ArrowDown' || e.key === 'ArrowRight' ? 1 : e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? -1 : e.key === 'Tab' && this.renderer?.kind === 'canvas' ? (e.shiftKey ? -1 : 1) : 0;
    if (step === 0) return;
    const i = focusedId ? scene.nodes.findIndex((n) => n.id === focusedId) : -1;
    const next = i < 0 ? (step > 0 ? 0 : scene.nodes.length - 1) : i + step;
    if (next < 0 || next >= scene.nodes.length) return; // Tab leaves the drawing at either end.
    e.preventDefault();
    const id = scene.nodes[next].id;
    this.focused = id;
    this.renderer?.focusNode(id);
    this.ensureVisible(id);
    const n = scene.nodes[next];
    this.announce(`${n.kind} ${n.label}`);
  }

  private setSearch(query: string, jump: boolean): void {
    this.search = query;
    this.updateMatches();
    this.announce(query ? `${this.matches.size} match${this.matches.size === 1 ? '' : 'es'}` : '');
    if (jump && this.scene) {
      const first = this.scene.nodes.find((n) => this.matches.has(n.id));
      if (first) {
        this.centerOn(first.id);
        this.focused = first.id;
        this.renderer?.focusNode(first.id);
      }
    }
    this.save();
  }

  private updateMatches(): void {
    const q = this.search.trim().toLowerCase();
    this.matches = new Set();
    if (q && this.graph && this.scene) {
      for (const n of this.graph.nodes) {
        if (`${n.namespace ?? ''}/${n.label} ${n.detail ?? ''}`.toLowerCase().includes(q)) {
          const shown = this.scene.view.shownAs.get(n.id);
          if (shown && this.scene.byId.has(shown)) this.matches.add(shown);
        }
      }
    }
    this.renderer?.setMatches(this.matches);
    this.toolbar.setMatchCount(q ? this.matches.size : undefined);
  }

  private announce(text: string): void {
    this.live.textContent = shownText(text);
  }

  private save(): void {
    clearTimeout(this.saveTimer);
    const t = this.transform;
    this.saved = {
      v: 1,
      transform: { x: t.x, y: t.y, k: t.k },
      pinned: this.pinned,
      pinnedTo: this.pinnedTo,
      expanded: [...this.expanded],
      namespace: this.namespace,
      search: this.search || undefined,
      arrangement: this.arrangement,
    };
    this.options.saveState(this.saved);
  }

  // ------------------------------------------------------------ export

  private async exportAs(format: 'svg' | 'png'): Promise<void> {
    const scene = this.scene;
    if (!scene) return;
    let svgText: string | undefined;
    if (format === 'svg' || this.renderer?.kind === 'svg') {
      let svgRenderer = this.renderer instanceof SvgRenderer ? this.renderer : undefined;
      let temporary: HTMLElement | undefined;
      if (!svgRenderer) {
        temporary = document.createElement('div');
        temporary.className = 'export-scratch';
        document.body.appendChild(temporary);
        svgRenderer = new SvgRenderer(temporary, { hover: () => undefined, activate: () => undefined, focus: () => undefined });
        svgRenderer.setScene(scene, false);
      }
      svgText = serializeSvg(svgRenderer.element, scene.layout);
      if (temporary) {
        svgRenderer.destroy(); // its resize observer too
        temporary.remove();
      }
    }
    if (format === 'svg') {
      this.options.post({ type: 'export', format: 'svg', data: svgText! });
      return;
    }
    if (this.renderer instanceof CanvasRenderer) {
      this.options.post({ type: 'export', format: 'png', data: this.renderer.element.toDataURL('image/png') });
      return;
    }
    const url = URL.createObjectURL(new Blob([svgText!], { type: 'image/svg+xml' }));
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      canvas.getContext('2d')!.drawImage(img, 0, 0);
      this.options.post({ type: 'export', format: 'png', data: canvas.toDataURL('image/png') });
    } finally {
      URL.revokeObjectURL(url);
    }
  }
}

function sameView(a: ModelViewChoice | undefined, b: ModelViewChoice | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.current === b.current && a.cluster === b.cluster);
}
