// Canvas drawing for graphs too large for the DOM (thousands of Pods).
// Three things keep panning fast, not only the faster primitive:
// - culling: only what the viewport shows is drawn (nodes found per column by
//   binary search on y; edges by their bounding box);
// - level of detail: zoomed out, boxes without text and straight links, drawn
//   as one batched path per style; text only where it is legible;
// - a cached layer: the scene is drawn once into an off-screen canvas a
//   viewport larger on every side; a pan only copies it; a zoom on a dense
//   view (thousands of objects) shows it scaled, up to ×2 either way, until
//   the view holds still and it is redrawn at the new scale.
// Findings are never simplified away: a node with findings keeps a marker of
// at least a few pixels at every zoom.
import type { ZoomTransform } from 'd3';
import type { Highlight, Scene, SceneEdge, SceneNode } from './scene';
import { describeNode, findingCount, iconFor, nearEdge, NODE_HEIGHT, NODE_WIDTH, shownText, worstSeverity } from './scene';
import { ANIMATION_MS, reducedMotion, type Renderer, type RendererEvents } from './renderer';

interface Palette {
  bg: string;
  fg: string;
  muted: string;
  box: string;
  border: string;
  edge: string;
  broken: string;
  lit: string;
  denied: string;
  error: string;
  warning: string;
  info: string;
  focus: string;
  match: string;
  font: string;
  kinds: Record<string, string>;
}

const LABEL_ZOOM = 0.45;
const DETAIL_ZOOM = 0.75;
const CURVE_ZOOM = 0.3;
/** After a zoom, the cached layer is rebuilt once the view has held still this long. */
const CACHE_DELAY_MS = 120;
/** What drawScene reads of a scene (a tween of one while a change glides in). */
type Drawable = Pick<Scene, 'layout' | 'columns' | 'edges'>;

function easeCubicInOut(t: number): number {
  return t < 0.5 ? 4 * t * t * t : 1 - (-2 * t + 2) ** 3 / 2;
}
/**
 * How far a zoom may move from the cached layer's scale while frames show the
 * layer scaled: at twice its scale it is blurred but readable, at half its
 * text is small but every box and finding marker is there.
 */
const MIN_CACHE_RATIO = 0.5;
const MAX_CACHE_RATIO = 2;
/**
 * From this many nodes in view, a zoom frame shows the cached layer scaled
 * rather than drawing them. Measured at 5,000 and 20,000 Pods: a scaled copy
 * of the layer costs about 2 ms of main thread whatever is in view; drawing
 * afresh costs 1-2 ms for up to a few hundred nodes, 4-9 ms on average (up to
 * 18-32 ms) for the whole cluster at once.
 */
const DENSE_VIEW_NODES = 1500;

export class CanvasRenderer implements Renderer {
  readonly kind = 'canvas' as const;
  readonly element: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private readonly cache = document.createElement('canvas');
  private readonly cacheCtx: CanvasRenderingContext2D;
  private cacheKey: { k: number; x: number; y: number; valid: boolean } = { k: 0, x: 0, y: 0, valid: false };
  private scene: Scene | undefined;
  /** The scene's links to the world outside (hit-tested off the boxes), found on the first pointer move. */
  private outsideLinks: SceneEdge[] | undefined;
  private transform: ZoomTransform | undefined;
  private highlight: Highlight | undefined;
  private pinned = false;
  private matches: ReadonlySet<string> = new Set();
  private selected: string | undefined;
  private focused: string | undefined;
  private palette: Palette;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private frame = 0;
  private cacheTimer: ReturnType<typeof setTimeout> | undefined;
  /** Zoom steps closer than CACHE_DELAY_MS form one gesture; only its later steps may show the layer scaled. */
  private lastZoomStep = -Infinity;
  private zoomContinuing = false;
  /** A model update gliding in: where the moved nodes were, and since when. */
  private animation: { from: Map<string, { x: number; y: number }>; start: number } | undefined;
  private readonly resize: ResizeObserver;
  private readonly themeWatch: MutationObserver;

  constructor(
    private readonly container: HTMLElement,
    private readonly events: RendererEvents,
  ) {
    this.element = document.createElement('canvas');
    this.element.className = 'topology-canvas';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'application');
    this.element.setAttribute('aria-roledescription', 'network topology');
    this.element.setAttribute('aria-label', 'Network topology. Tab and Shift+Tab move between objects, Enter traces, Escape clears.');
    container.appendChild(this.element);
    this.ctx = this.element.getContext('2d')!;
    this.cacheCtx = this.cache.getContext('2d')!;
    this.palette = readPalette();
    this.resize = new ResizeObserver(() => this.fit());
    this.resize.observe(container);
    this.themeWatch = new MutationObserver(() => {
      this.palette = readPalette();
      this.invalidate();
    });
    this.themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
    this.fit();

    let hovered: string | undefined;
    this.element.addEventListener('pointermove', (e) => {
      const node = this.nodeAt(e.offsetX, e.offsetY);
      // Off the boxes, a link to the world outside traces on its own (its source to its destination).
      const link = node ? undefined : this.outsideLinkAt(e.offsetX, e.offsetY);
      const key = node?.id ?? (link ? `${link.from}\n${link.to}` : undefined);
      if (key !== hovered) {
        hovered = key;
        const s = this.scene!;
        this.element.title = node ? describeNode(node) : link ? `Trace ${shownText(s.byId.get(link.from)?.label ?? '')} → ${shownText(s.byId.get(link.to)?.label ?? '')}` : '';
        this.element.style.cursor = key ? 'pointer' : '';
        if (link) this.events.hover(link.from, link.to);
        else this.events.hover(node?.id);
      }
    });
    this.element.addEventListener('pointerleave', () => {
      hovered = undefined;
      this.events.hover(undefined);
    });
    this.element.addEventListener('click', (e) => {
      const id = this.nodeAt(e.offsetX, e.offsetY)?.id;
      if (id) {
        this.events.activate(id, 'click');
        return;
      }
      const link = this.outsideLinkAt(e.offsetX, e.offsetY);
      if (link) this.events.activate(link.from, 'click', link.to);
    });
  }

  setScene(scene: Scene, animate: boolean): void {
    const previous = this.scene;
    this.scene = scene;
    this.outsideLinks = undefined;
    this.animation = undefined;
    if (animate && previous && !reducedMotion()) {
      // Nodes that stay glide from where they were (as in the SVG drawing); new ones appear in place.
      const from = new Map<string, { x: number; y: number }>();
      for (const n of scene.nodes) {
        const p = previous.byId.get(n.id);
        if (p && (p.x !== n.x || p.y !== n.y)) from.set(n.id, { x: p.x, y: p.y });
      }
      if (from.size > 0) this.animation = { from, start: performance.now() };
    }
    this.invalidate();
  }

  /** Where a node is drawn at this moment (between two places while it glides): for tests. */
  positionOf(id: string): { x: number; y: number } | undefined {
    const n = this.scene?.byId.get(id);
    if (!n) return undefined;
    const a = this.animation;
    const f = a?.from.get(id);
    if (!a || !f) return { x: n.x, y: n.y };
    const e = easeCubicInOut(Math.min(1, (performance.now() - a.start) / ANIMATION_MS));
    return { x: f.x + (n.x - f.x) * e, y: f.y + (n.y - f.y) * e };
  }

  setTransform(t: ZoomTransform, jump = false): void {
    if (jump) {
      this.zoomContinuing = false;
      this.lastZoomStep = -Infinity;
    } else if (this.transform && t.k !== this.transform.k) {
      const now = performance.now();
      this.zoomContinuing = now - this.lastZoomStep < CACHE_DELAY_MS;
      this.lastZoomStep = now;
    }
    this.transform = t;
    this.schedule();
  }

  setHighlight(h: Highlight | undefined, pinned: boolean): void {
    this.highlight = h;
    this.pinned = pinned;
    this.invalidate();
  }

  setMatches(ids: ReadonlySet<string>): void {
    this.matches = ids;
    this.invalidate();
  }

  setSelected(id: string | undefined): void {
    this.selected = id;
    this.invalidate();
  }

  focusNode(id: string): void {
    this.focused = id;
    if (document.activeElement !== this.element) this.element.focus();
    this.invalidate();
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    clearTimeout(this.cacheTimer);
    this.resize.disconnect();
    this.themeWatch.disconnect();
    this.element.remove();
  }

  /** The link to the world outside under a point of the canvas (CSS pixels), within 6 px of its curve. */
  outsideLinkAt(px: number, py: number): SceneEdge | undefined {
    const s = this.scene;
    const t = this.transform;
    if (!s || !t) return undefined;
    this.outsideLinks ??= s.edges.filter((e) => s.byId.get(e.to)?.kind === 'external');
    const gx = (px - t.x) / t.k;
    const gy = (py - t.y) / t.k;
    return this.outsideLinks.find((e) => nearEdge(e, gx, gy, 6 / t.k));
  }

  /** The node under a point of the canvas (CSS pixels), found per column by binary search. */
  nodeAt(px: number, py: number): SceneNode | undefined {
    const s = this.scene;
    const t = this.transform;
    if (!s || !t) return undefined;
    const gx = (px - t.x) / t.k;
    const gy = (py - t.y) / t.k;
    const ci = s.layout.columns.findIndex((c) => gx >= c.x && gx <= c.x + NODE_WIDTH);
    if (ci < 0) return undefined;
    const col = s.columns[ci];
    let lo = 0;
    let hi = col.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const n = col[mid];
      if (gy < n.y) hi = mid - 1;
      else if (gy > n.y + NODE_HEIGHT) lo = mid + 1;
      else return n;
    }
    return undefined;
  }

  /** Draws the current frame now (the benchmark calls this to time a frame). */
  drawNow(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.paint();
  }

  private fit(): void {
    this.dpr = window.devicePixelRatio || 1;
    this.width = this.container.clientWidth;
    this.height = this.container.clientHeight;
    this.element.width = Math.max(1, Math.round(this.width * this.dpr));
    this.element.height = Math.max(1, Math.round(this.height * this.dpr));
    this.element.style.width = `${this.width}px`;
    this.element.style.height = `${this.height}px`;
    this.invalidate();
  }

  private invalidate(): void {
    this.cacheKey.valid = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.paint();
    });
  }

  private paint(): void {
    const t = this.transform;
    if (!this.scene || !t) return;
    const ctx = this.ctx;
    if (this.animation) {
      // Every frame of the glide is drawn afresh (the layer would show the end state).
      const progress = (performance.now() - this.animation.start) / ANIMATION_MS;
      if (progress < 1) {
        this.drawScene(ctx, this.tween(this.scene, this.animation.from, easeCubicInOut(progress)), this.width, this.height, t.k, t.x, t.y, true);
        this.drawFocus(ctx, t);
        this.schedule();
        return;
      }
      this.animation = undefined;
      this.cacheKey.valid = false;
    }
    const zooming = t.k !== this.cacheKey.k;
    // While zooming a view of few objects, drawing them afresh is cheaper than
    // resampling the layer (and sharp); a dense one (the overview of a large
    // cluster) shows the layer scaled instead.
    // A jump (a fit, a pinned trace framed) is drawn sharp at once, whatever its density.
    if ((!zooming || (this.zoomContinuing && this.countInView(t, DENSE_VIEW_NODES) >= DENSE_VIEW_NODES)) && this.copyFromCache(t)) {
      if (zooming) this.scheduleCache();
      this.drawFocus(ctx, t);
      return;
    }
    // A pan past the cached layer, a zoom on a sparse view or too far from the
    // layer's scale, or a new scene: draw only the viewport now, and build the
    // cached layer once the view holds still.
    this.drawScene(ctx, this.scene, this.width, this.height, t.k, t.x, t.y, true);
    this.drawFocus(ctx, t);
    this.scheduleCache();
  }

  /**
   * Shows the viewport from the cached layer, scaled when the zoom has moved,
   * if the layer covers it at a scale close enough to stay legible: one
   * drawImage, whatever the size of the graph.
   */
  private copyFromCache(t: ZoomTransform): boolean {
    const c = this.cacheKey;
    if (!c.valid) return false;
    const ratio = t.k / c.k;
    if (ratio < MIN_CACHE_RATIO || ratio > MAX_CACHE_RATIO) return false;
    // The viewport's top left corner and size in the layer's CSS pixels.
    const sx = c.x + this.width - t.x / ratio;
    const sy = c.y + this.height - t.y / ratio;
    const sw = this.width / ratio;
    const sh = this.height / ratio;
    if (sx < 0 || sy < 0 || sx + sw > this.cache.width / this.dpr || sy + sh > this.cache.height / this.dpr) return false;
    const ctx = this.ctx;
    const d = this.dpr;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = this.palette.bg;
    ctx.fillRect(0, 0, this.element.width, this.element.height);
    // Copy only the viewport's part of the layer (a full 3×3-viewport blit costs more than the pan); a pan in whole device pixels.
    if (ratio === 1) ctx.drawImage(this.cache, Math.round(sx * d), Math.round(sy * d), this.element.width, this.element.height, 0, 0, this.element.width, this.element.height);
    else ctx.drawImage(this.cache, sx * d, sy * d, sw * d, sh * d, 0, 0, this.element.width, this.element.height);
    return true;
  }

  /** How many nodes the viewport shows, counted per column by binary search, up to `limit`. */
  private countInView(t: ZoomTransform, limit: number): number {
    const s = this.scene!;
    const gx0 = -t.x / t.k;
    const gx1 = (this.width - t.x) / t.k;
    const gy0 = -t.y / t.k;
    const gy1 = (this.height - t.y) / t.k;
    let count = 0;
    s.layout.columns.forEach((c, ci) => {
      if (count >= limit || c.x + NODE_WIDTH < gx0 || c.x > gx1) return;
      const col = s.columns[ci];
      count += lowerBound(col, gy1 + 1) - lowerBound(col, gy0 - NODE_HEIGHT);
    });
    return count;
  }

  private scheduleCache(): void {
    clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => this.buildCache(), CACHE_DELAY_MS);
  }

  /** Draws the scene a viewport beyond every side into the off-screen layer that pans copy from. */
  get settled(): boolean {
    return this.cacheTimer === undefined && performance.now() - this.lastZoomStep >= CACHE_DELAY_MS;
  }

  private buildCache(): void {
    clearTimeout(this.cacheTimer);
    this.cacheTimer = undefined;
    const t = this.transform;
    if (!this.scene || !t) return;
    const marginX = this.width;
    const marginY = this.height;
    const w = this.width + 2 * marginX;
    const h = this.height + 2 * marginY;
    if (this.cache.width !== Math.round(w * this.dpr) || this.cache.height !== Math.round(h * this.dpr)) {
      this.cache.width = Math.round(w * this.dpr);
      this.cache.height = Math.round(h * this.dpr);
    }
    this.drawScene(this.cacheCtx, this.scene, w, h, t.k, t.x + marginX, t.y + marginY, false);
    this.cacheKey = { k: t.k, x: t.x, y: t.y, valid: true };
    this.schedule();
  }

  private drawFocus(ctx: CanvasRenderingContext2D, t: ZoomTransform): void {
    const n = this.focused ? this.positionOf(this.focused) : undefined;
    if (!n) return;
    ctx.setTransform(this.dpr * t.k, 0, 0, this.dpr * t.k, this.dpr * t.x, this.dpr * t.y);
    ctx.strokeStyle = this.palette.focus;
    ctx.lineWidth = Math.max(2, 2 / t.k);
    ctx.strokeRect(n.x - 3, n.y - 3, NODE_WIDTH + 6, NODE_HEIGHT + 6);
  }

  /**
   * The scene with the moved nodes `e` (0 to 1, eased) of the way from where
   * they were, their links following; columns stay sorted by y for culling.
   * Unmoved nodes and links are shared, not copied.
   */
  private tween(scene: Scene, from: Map<string, { x: number; y: number }>, e: number): Drawable {
    const moved = new Map<string, SceneNode>();
    for (const [id, f] of from) {
      const n = scene.byId.get(id)!;
      moved.set(id, { ...n, x: f.x + (n.x - f.x) * e, y: f.y + (n.y - f.y) * e });
    }
    const at = (n: SceneNode) => moved.get(n.id) ?? n;
    const columns = scene.columns.map((col) => (col.some((n) => moved.has(n.id)) ? col.map(at).sort((a, b) => a.y - b.y) : col));
    const edges = scene.edges.map((edge) => {
      if (!moved.has(edge.from) && !moved.has(edge.to)) return edge;
      const a = at(scene.byId.get(edge.from)!);
      const b = at(scene.byId.get(edge.to)!);
      return { ...edge, x1: a.x + NODE_WIDTH, y1: a.y + NODE_HEIGHT / 2, x2: b.x, y2: b.y + NODE_HEIGHT / 2 };
    });
    return { layout: scene.layout, columns, edges };
  }

  /** The whole visible scene at zoom k, offset (ox, oy), into a w×h (CSS px) context. */
  private drawScene(ctx: CanvasRenderingContext2D, s: Drawable, w: number, h: number, k: number, ox: number, oy: number, opaque: boolean): void {
    const p = this.palette;
    const hl = this.highlight;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (opaque) {
      ctx.fillStyle = p.bg;
      ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    } else ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.setTransform(this.dpr * k, 0, 0, this.dpr * k, this.dpr * ox, this.dpr * oy);
    const gx0 = -ox / k;
    const gy0 = -oy / k;
    const gx1 = (w - ox) / k;
    const gy1 = (h - oy) / k;

    // Column titles.
    if (k >= LABEL_ZOOM) {
      ctx.fillStyle = p.muted;
      ctx.font = `600 12px ${p.font}`;
      for (const c of s.layout.columns) ctx.fillText(c.title, c.x, -14);
    }

    // Edges, batched by style.
    const curved = k >= CURVE_ZOOM;
    const batches = new Map<string, Path2D>();
    const add = (style: string, e: SceneEdge) => {
      let path = batches.get(style);
      if (!path) batches.set(style, (path = new Path2D()));
      path.moveTo(e.x1, e.y1);
      if (curved && e.x2 > e.x1) {
        const mid = (e.x1 + e.x2) / 2;
        path.bezierCurveTo(mid, e.y1, mid, e.y2, e.x2, e.y2);
      } else path.lineTo(e.x2, e.y2);
    };
    const visibleEdges: SceneEdge[] = [];
    for (const e of s.edges) {
      if (Math.max(e.x1, e.x2) < gx0 || Math.min(e.x1, e.x2) > gx1 || Math.max(e.y1, e.y2) < gy0 || Math.min(e.y1, e.y2) > gy1) continue;
      visibleEdges.push(e);
      const lit = hl?.edges.has(e.id);
      const style = `${e.broken ? 'broken' : 'normal'}${hl ? (lit ? (this.pinned && hl.denied.has(e.id) ? '-denied' : '-lit') : '-dim') : ''}`;
      add(style, e);
    }
    for (const [style, path] of batches) {
      ctx.globalAlpha = style.endsWith('-dim') ? 0.15 : 1;
      ctx.strokeStyle = style.includes('denied') ? p.denied : style.startsWith('broken') ? p.broken : style.endsWith('-lit') ? p.lit : p.edge;
      ctx.lineWidth = (style.endsWith('-lit') || style.endsWith('-denied') ? 2.5 : 1.25) / Math.max(k, 0.5);
      ctx.setLineDash(style.startsWith('broken') || style.includes('denied') ? [6, 4] : []);
      ctx.stroke(path);
    }
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;

    // Nodes: cull per column by binary search on y.
    const visibleNodes: SceneNode[] = [];
    s.layout.columns.forEach((c, ci) => {
      if (c.x + NODE_WIDTH < gx0 || c.x > gx1) return;
      const col = s.columns[ci];
      let lo = 0;
      let hi = col.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (col[mid].y + NODE_HEIGHT < gy0) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < col.length && col[i].y <= gy1; i++) visibleNodes.push(col[i]);
    });
    const boxes = { dim: new Path2D(), lit: new Path2D() };
    const stripes = new Map<string, Path2D>();
    for (const n of visibleNodes) {
      const dim = hl !== undefined && !hl.nodes.has(n.id);
      (dim ? boxes.dim : boxes.lit).rect(n.x, n.y, NODE_WIDTH, NODE_HEIGHT);
      const key = `${n.kind}${dim ? '-dim' : ''}`;
      let path = stripes.get(key);
      if (!path) stripes.set(key, (path = new Path2D()));
      path.rect(n.x, n.y, 4, NODE_HEIGHT);
    }
    for (const [which, path] of Object.entries(boxes)) {
      ctx.globalAlpha = which === 'dim' ? 0.25 : 1;
      ctx.fillStyle = p.box;
      ctx.fill(path);
      if (k >= CURVE_ZOOM) {
        ctx.strokeStyle = p.border;
        ctx.lineWidth = 1 / k;
        ctx.stroke(path);
      }
    }
    for (const [key, path] of stripes) {
      ctx.globalAlpha = key.endsWith('-dim') ? 0.25 : 1;
      ctx.fillStyle = p.kinds[key.replace('-dim', '')] ?? p.border;
      ctx.fill(path);
    }
    ctx.globalAlpha = 1;

    // Marks that no zoom level drops: findings, missing targets, selection, search matches.
    const minMark = 5 / k;
    for (const n of visibleNodes) {
      const sev = worstSeverity(n);
      if (sev) {
        ctx.fillStyle = p[sev];
        const r = Math.max(7, minMark);
        ctx.beginPath();
        ctx.arc(n.x + NODE_WIDTH - 10, n.y, r, 0, Math.PI * 2);
        ctx.fill();
      }
      if (n.kind === 'missing' || n.id === this.selected || this.matches.has(n.id)) {
        ctx.strokeStyle = n.kind === 'missing' ? p.broken : n.id === this.selected ? p.focus : p.match;
        ctx.lineWidth = Math.max(2, 2 / k);
        ctx.setLineDash(n.kind === 'missing' ? [4, 3] : []);
        ctx.strokeRect(n.x, n.y, NODE_WIDTH, NODE_HEIGHT);
        ctx.setLineDash([]);
      }
    }

    if (k < LABEL_ZOOM) return;
    ctx.textBaseline = 'alphabetic';
    for (const n of visibleNodes) {
      ctx.globalAlpha = hl !== undefined && !hl.nodes.has(n.id) ? 0.35 : 1;
      ctx.fillStyle = p.fg;
      ctx.font = `16px codicon`;
      ctx.fillText(iconFor(n), n.x + 10, n.y + 29);
      ctx.font = `600 13px ${p.font}`;
      ctx.fillText(shownText(n.label, 24), n.x + 32, n.y + 18);
      if (k >= DETAIL_ZOOM) {
        ctx.fillStyle = p.muted;
        ctx.font = `11px ${p.font}`;
        ctx.fillText(shownText(n.detail ?? '', 34), n.x + 32, n.y + 34);
        const count = findingCount(n);
        if (count > 0) {
          ctx.fillStyle = p.bg;
          ctx.font = `600 10px ${p.font}`;
          ctx.fillText(String(count), n.x + NODE_WIDTH - 13, n.y + 4);
        }
        const extra = [n.count !== undefined && n.kind === 'workload' ? `×${n.count}` : '', n.policies?.length ? `⛨${n.policies.length}` : ''].filter(Boolean).join(' ');
        if (extra) {
          ctx.fillStyle = p.muted;
          ctx.font = `10px ${p.font}`;
          ctx.fillText(extra, n.x + NODE_WIDTH - 50, n.y + 40);
        }
      }
    }
    if (k >= DETAIL_ZOOM) {
      ctx.globalAlpha = 1;
      ctx.fillStyle = p.muted;
      ctx.font = `11px ${p.font}`;
      ctx.textAlign = 'center';
      for (const e of visibleEdges) if (e.label && (!hl || hl.edges.has(e.id))) ctx.fillText(shownText(e.label, 24), (e.x1 + e.x2) / 2, (e.y1 + e.y2) / 2 - 5);
      ctx.textAlign = 'start';
    }
    ctx.globalAlpha = 1;
  }
}

/** The index of the first node of a column (sorted by y) at or below `y`. */
function lowerBound(col: SceneNode[], y: number): number {
  let lo = 0;
  let hi = col.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (col[mid].y < y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The theme's colours, resolved by the browser (variables, fallbacks and color-mix) through a probe element. */
function readPalette(): Palette {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  document.body.appendChild(probe);
  const v = (expr: string) => {
    probe.style.color = '';
    probe.style.color = expr;
    return getComputedStyle(probe).color;
  };
  const palette: Palette = {
    bg: v('var(--vscode-editor-background, #1e1e1e)'),
    fg: v('var(--vscode-foreground, #cccccc)'),
    muted: v('var(--vscode-descriptionForeground, #9d9d9d)'),
    box: v('var(--kni-box)'),
    border: v('var(--kni-border)'),
    edge: v('var(--kni-edge)'),
    broken: v('var(--vscode-errorForeground, #f14c4c)'),
    lit: v('var(--kni-focus)'),
    denied: v('var(--vscode-errorForeground, #f14c4c)'),
    error: v('var(--kni-error)'),
    warning: v('var(--kni-warning)'),
    info: v('var(--kni-info)'),
    focus: v('var(--kni-focus)'),
    match: v('var(--kni-match)'),
    font: getComputedStyle(document.body).fontFamily || 'sans-serif',
    kinds: {
      entry: v('var(--kni-entry)'),
      ingress: v('var(--kni-ingress)'),
      service: v('var(--kni-service)'),
      endpoints: v('var(--kni-endpoints)'),
      workload: v('var(--kni-workload)'),
      pod: v('var(--kni-workload)'),
      node: v('var(--kni-node)'),
      external: v('var(--kni-entry)'),
      missing: v('var(--vscode-errorForeground, #f14c4c)'),
    },
  };
  probe.remove();
  return palette;
}
