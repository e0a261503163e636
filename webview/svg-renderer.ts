// SVG drawing for graphs small enough for the DOM (a few thousand elements):
// every node is a focusable element with an ARIA label, so Tab, Enter and
// screen readers work on the objects themselves. Joined by id, so a new model
// updates the drawing in place (small changes glide to their new places).
// Every string from a manifest goes through .text() or an attribute, never HTML.
import * as d3 from 'd3';
import type { Highlight, Scene, SceneEdge, SceneNode } from './scene';
import { describeNode, edgePath, findingCount, iconFor, ICONS, NODE_HEIGHT, shownText, worstSeverity } from './scene';
import { DETAIL_PX, EDGE_LABEL_PX, fitText, LABEL_PX, textRoom } from './measure';
import { EDGE_LABEL_CHARS } from './arrange';
import { ANIMATION_MS, reducedMotion, type Renderer, type RendererEvents } from './renderer';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** A pan or zoom is laid out where it is once it has held still this long; steps closer than this form one gesture. */
const SETTLE_MS = 150;

export class SvgRenderer implements Renderer {
  readonly kind = 'svg' as const;
  readonly element: SVGSVGElement;
  private readonly viewport: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly edgeLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly labelLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  /** Wide transparent strokes over the links that trace on their own (to the world outside): a 1 px line is hard to point at. */
  private readonly hitLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly nodeLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  private readonly headerLayer: d3.Selection<SVGGElement, unknown, null, undefined>;
  private scene: Scene | undefined;
  /** The transform the viewport group is laid out at (what a pan or zoom step is moved from). */
  private drawn: d3.ZoomTransform | undefined;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last step of a pan or zoom arrived. */
  private lastStep = -Infinity;
  /** How far the element reaches beyond the stage on each side, as of the last layout. */
  private margin = { x: 0, y: 0 };
  private readonly resize: ResizeObserver;

  constructor(
    container: HTMLElement,
    private readonly events: RendererEvents,
  ) {
    this.element = document.createElementNS(SVG_NS, 'svg');
    container.appendChild(this.element);
    const svg = d3.select(this.element).attr('class', 'topology').attr('role', 'group').attr('aria-label', 'Network topology');
    this.viewport = svg.append('g').attr('class', 'viewport');
    this.headerLayer = this.viewport.append('g').attr('class', 'columns');
    this.edgeLayer = this.viewport.append('g').attr('class', 'edges');
    this.labelLayer = this.viewport.append('g').attr('class', 'edge-labels');
    this.hitLayer = this.viewport.append('g').attr('class', 'edge-hits');
    this.nodeLayer = this.viewport.append('g').attr('class', 'nodes');

    const nodeOf = (event: Event) => (event.target as Element | null)?.closest?.('g.node')?.getAttribute('data-id') ?? undefined;
    const linkOf = (event: Event) => {
      const hit = (event.target as Element | null)?.closest?.('path.edge-hit');
      const from = hit?.getAttribute('data-from');
      const to = hit?.getAttribute('data-to');
      return from && to ? { from, to } : undefined;
    };
    this.element.addEventListener('pointerover', (e) => {
      const link = linkOf(e);
      if (link) this.events.hover(link.from, link.to);
      else this.events.hover(nodeOf(e));
    });
    this.element.addEventListener('pointerleave', () => this.events.hover(undefined));
    this.element.addEventListener('click', (e) => {
      const link = linkOf(e);
      if (link) {
        this.events.activate(link.from, 'click', link.to);
        return;
      }
      const id = nodeOf(e);
      if (id) this.events.activate(id, 'click');
    });
    this.element.addEventListener('focusin', (e) => {
      const id = nodeOf(e);
      if (id) this.events.focus(id);
    });
    // The margin follows the stage's size: lay the drawing out again when it changes.
    this.resize = new ResizeObserver(() => {
      if (this.drawn) this.commit(this.drawn);
    });
    this.resize.observe(container);
  }

  setScene(scene: Scene, animate: boolean): void {
    const first = this.scene === undefined;
    this.scene = scene;
    const duration = animate && !first && !reducedMotion() ? ANIMATION_MS : 0;

    this.headerLayer
      .selectAll<SVGTextElement, Scene['layout']['columns'][number]>('text.column-title')
      .data(scene.layout.columns, (c) => String(c.column))
      .join('text')
      .attr('class', 'column-title')
      .attr('x', (c) => c.x)
      .attr('y', (c) => c.y - (scene.layout.direction === 'down' ? 8 : 14))
      .text((c) => c.title);

    const edges = this.edgeLayer
      .selectAll<SVGPathElement, SceneEdge>('path.edge')
      .data(scene.edges, (e) => e.id)
      .join((enter) => enter.append('path').attr('d', edgePath))
      .attr('class', (e) => (e.broken ? 'edge broken' : 'edge'))
      .attr('data-id', (e) => e.id)
      .attr('data-from', (e) => e.from)
      .attr('data-to', (e) => e.to);
    (duration ? edges.transition().duration(duration) : edges).attr('d', edgePath);

    const hits = this.hitLayer
      .selectAll<SVGPathElement, SceneEdge>('path.edge-hit')
      .data(
        scene.edges.filter((e) => scene.byId.get(e.to)?.kind === 'external'),
        (e) => e.id,
      )
      .join((enter) => enter.append('path').attr('class', 'edge-hit').attr('d', edgePath))
      .attr('data-id', (e) => e.id)
      .attr('data-from', (e) => e.from)
      .attr('data-to', (e) => e.to);
    hits.selectAll('title').data((e) => [e]).join('title').text((e) => `Trace ${shownText(scene.byId.get(e.from)?.label ?? '')} → ${shownText(scene.byId.get(e.to)?.label ?? '')}${e.label ? ` (${shownText(e.label)})` : ''}`);
    (duration ? hits.transition().duration(duration) : hits).attr('d', edgePath);

    // Down, a label runs right from its link's middle, up to the next labelled link of the same gap.
    const downRoom = new Map<string, number>();
    const byGap = d3.group(scene.edges.filter((e) => e.vertical && e.label), (e) => e.y1);
    for (const row of byGap.values()) {
      const sorted = row.map((e) => ({ id: e.id, x: (e.x1 + e.x2) / 2 })).sort((a, b) => a.x - b.x);
      // The last one of a gap up to the drawing's right edge (what the view is fitted to).
      sorted.forEach((e, i) => downRoom.set(e.id, (i + 1 < sorted.length ? sorted[i + 1].x : scene.layout.width + 8) - e.x - 14));
    }
    const labels = this.labelLayer
      .selectAll<SVGTextElement, SceneEdge>('text.edge-label')
      .data(
        scene.edges.filter((e) => e.label),
        (e) => e.id,
      )
      .join('text')
      .attr('class', (e) => (e.broken ? 'edge-label broken' : 'edge-label'))
      .attr('data-id', (e) => e.id)
      // Across, a label fits the gap it sits in; down, it sits beside its link.
      .attr('text-anchor', (e) => (e.vertical ? 'start' : 'middle'))
      .text((e) => {
        const text = shownText(e.label ?? '', EDGE_LABEL_CHARS);
        return fitText(text, EDGE_LABEL_PX, Math.max(24, e.vertical ? (downRoom.get(e.id) ?? Infinity) : e.x2 - e.x1 - 8));
      });
    labels.selectAll('title').data((e) => [e]).join('title').text((e) => shownText(e.label ?? ''));
    const labelX = (e: SceneEdge) => (e.x1 + e.x2) / 2 + (e.vertical ? 6 : 0);
    const labelY = (e: SceneEdge) => (e.y1 + e.y2) / 2 + (e.vertical ? 4 : -5);
    if (duration) labels.transition().duration(duration).attr('x', labelX).attr('y', labelY);
    else labels.attr('x', labelX).attr('y', labelY);

    const nodes = this.nodeLayer
      .selectAll<SVGGElement, SceneNode>('g.node')
      .data(scene.nodes, (n) => n.id)
      .join((enter) => {
        const g = enter.append('g').attr('transform', (n) => `translate(${n.x},${n.y})`);
        g.append('title');
        g.append('rect').attr('class', 'box').attr('height', NODE_HEIGHT).attr('rx', 4);
        g.append('rect').attr('class', 'stripe').attr('width', 3).attr('height', NODE_HEIGHT - 2).attr('x', 1).attr('y', 1).attr('rx', 1);
        g.append('text').attr('class', 'icon').attr('x', 10).attr('y', 27).attr('aria-hidden', 'true');
        g.append('text').attr('class', 'label').attr('x', 32).attr('y', 18);
        g.append('text').attr('class', 'detail').attr('x', 32).attr('y', 34);
        g.append('g').attr('class', 'badges');
        return g;
      })
      // Reading order = DOM order = Tab order (by column, top to bottom).
      .order()
      .attr('class', (n) => `node ${n.kind}${n.folded || n.count !== undefined ? ' group' : ''}${worstSeverity(n) ? ` has-${worstSeverity(n)}` : ''}`)
      .attr('data-id', (n) => n.id)
      .attr('data-kind', (n) => n.kind)
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('aria-label', (n) => describeNode(n).split('\n').slice(0, 4).join('; '));
    (duration ? nodes.transition().duration(duration) : nodes).attr('transform', (n) => `translate(${n.x},${n.y})`);
    nodes.select('title').text((n) => describeNode(n));
    nodes.select('text.icon').text((n) => iconFor(n));
    nodes.select('rect.box').attr('width', (n) => n.w);
    nodes.select('text.label').text((n) => fitText(shownText(n.label), LABEL_PX, textRoom(n.w), 600));
    nodes.select('text.detail').text((n) => fitText(shownText(n.detail ?? ''), DETAIL_PX, textRoom(n.w)));
    nodes.select<SVGGElement>('g.badges').each(function (n) {
      drawBadges(d3.select(this), n);
    });
  }

  setTransform(t: d3.ZoomTransform, jump = false): void {
    const drawn = this.drawn;
    // A jump (a fit, a pinned trace framed) or the first step of a pan or zoom
    // is laid out at once: moved by the compositor it would show a blurred or
    // cropped picture until the settle timer fired.
    const now = performance.now();
    const continuing = !jump && now - this.lastStep < SETTLE_MS;
    this.lastStep = jump ? -Infinity : now;
    if (!drawn || !continuing) {
      this.commit(t);
      return;
    }
    const s = t.k / drawn.k;
    const { x: mx, y: my } = this.margin;
    if (s === 1 && (Math.abs(t.x - drawn.x) > mx || Math.abs(t.y - drawn.y) > my)) {
      this.commit(t);
      return;
    }
    // The later steps of a gesture: the drawing as last rastered (a stage's
    // size beyond each side), moved and scaled by the compositor (a transform
    // of the whole element, no repaint), until the view holds still and the
    // drawing is laid out where it is. Re-rastering every box and text at each
    // frame cost 8-10 ms of main thread at 500 Pods on a zoom, and held a pan
    // at 25-35 ms a frame with software raster.
    this.element.style.transform = `matrix(${s}, 0, 0, ${s}, ${t.x + mx - s * (drawn.x + mx)}, ${t.y + my - s * (drawn.y + my)})`;
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.commit(t), SETTLE_MS);
  }

  get settled(): boolean {
    return this.settleTimer === undefined && performance.now() - this.lastStep >= SETTLE_MS;
  }

  private commit(t: d3.ZoomTransform): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = undefined;
    this.drawn = t;
    const stage = this.element.parentElement;
    // The element reaches a stage's size beyond each side (see the CSS).
    this.margin = { x: stage?.clientWidth ?? 0, y: stage?.clientHeight ?? 0 };
    this.element.style.transform = '';
    this.viewport.attr('transform', `translate(${t.x + this.margin.x},${t.y + this.margin.y}) scale(${t.k})`);
  }

  setHighlight(h: Highlight | undefined, pinned: boolean): void {
    const svg = d3.select(this.element);
    svg.classed('tracing', h !== undefined).classed('pinned', pinned && h !== undefined);
    this.nodeLayer.selectAll<SVGGElement, SceneNode>('g.node').classed('lit', (n) => h?.nodes.has(n.id) ?? false).classed('origin', (n) => h?.trace.nodeId === n.id || (h !== undefined && this.scene?.view.shownAs.get(h.trace.nodeId) === n.id));
    this.edgeLayer.selectAll<SVGPathElement, SceneEdge>('path.edge').classed('lit', (e) => h?.edges.has(e.id) ?? false).classed('denied', (e) => (pinned && h?.denied.has(e.id)) ?? false);
    this.labelLayer.selectAll<SVGTextElement, SceneEdge>('text.edge-label').classed('lit', (e) => h?.edges.has(e.id) ?? false);
  }

  setMatches(ids: ReadonlySet<string>): void {
    this.nodeLayer.selectAll<SVGGElement, SceneNode>('g.node').classed('match', (n) => ids.has(n.id));
  }

  setSelected(id: string | undefined): void {
    this.nodeLayer.selectAll<SVGGElement, SceneNode>('g.node').classed('selected', (n) => n.id === id).attr('aria-pressed', (n) => (n.id === id ? 'true' : 'false'));
  }

  focusNode(id: string): void {
    const el = this.element.querySelector<SVGGElement>(`g.node[data-id="${CSS.escape(id)}"]`);
    el?.focus();
  }

  destroy(): void {
    clearTimeout(this.settleTimer);
    this.resize.disconnect();
    this.element.remove();
  }
}

function drawBadges(g: d3.Selection<SVGGElement, unknown, null, undefined>, n: SceneNode): void {
  g.selectAll('*').remove();
  let x = n.w - 6;
  const pill = (cls: string, text: string, title: string) => {
    const width = 8 + text.length * 6.5;
    x -= width;
    const b = g.append('g').attr('class', `badge ${cls}`).attr('transform', `translate(${x},-8)`);
    b.append('rect').attr('width', width).attr('height', 16).attr('rx', 8);
    b.append('text').attr('x', width / 2).attr('y', 12).attr('text-anchor', 'middle').text(text);
    b.append('title').text(title);
    x -= 4;
  };
  const severity = worstSeverity(n);
  if (severity) pill(`findings ${severity}`, String(findingCount(n)), (n.findings?.messages ?? []).map((m) => shownText(m)).join('\n'));
  if (n.policies?.length) {
    const pf = n.policyFindings;
    const sev = pf ? (pf.errors > 0 ? ' error' : pf.warnings > 0 ? ' warning' : pf.infos > 0 ? ' info' : '') : '';
    const title = [`NetworkPolicies selecting these Pods:`, ...n.policies, ...(pf ? ['', 'Their findings:', ...pf.messages] : [])].map((t) => shownText(t)).join('\n');
    pill(`policy${sev}`, `${ICONS.policy} ${n.policies.length}`, title);
  }
  if (n.count !== undefined && n.kind === 'workload') pill('count', `×${n.count}`, `${n.count} replica${n.count === 1 ? '' : 's'}${n.folded ? ` (${n.folded} Pods folded; click to expand)` : ''}`);
}

/**
 * The drawing as a standalone SVG document: the theme's computed colours
 * written as presentation attributes (a style attribute would be inline
 * style, which the panel's CSP forbids), a background rectangle behind.
 */
export function serializeSvg(svg: SVGSVGElement, bounds: { width: number; height: number }): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const originals = svg.querySelectorAll<SVGElement>('*');
  const copies = clone.querySelectorAll<SVGElement>('*');
  const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-size', 'font-weight', 'font-family', 'text-anchor'];
  originals.forEach((el, i) => {
    const style = getComputedStyle(el);
    for (const p of props) {
      const value = style.getPropertyValue(p);
      if (value) copies[i].setAttribute(p, value);
    }
    copies[i].removeAttribute('class');
    copies[i].removeAttribute('tabindex');
  });
  clone.setAttribute('xmlns', SVG_NS);
  const pad = 40;
  const x = -pad;
  const y = -pad - 20;
  const w = bounds.width + 2 * pad;
  const h = bounds.height + 2 * pad + 20;
  clone.setAttribute('viewBox', `${x} ${y} ${w} ${h}`);
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  clone.querySelector('g.viewport, g')?.removeAttribute('transform');
  clone.removeAttribute('class');
  clone.removeAttribute('style'); // a zoom step's scaling, if the export came during one
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', String(x));
  bg.setAttribute('y', String(y));
  bg.setAttribute('width', String(w));
  bg.setAttribute('height', String(h));
  bg.setAttribute('fill', getComputedStyle(document.body).backgroundColor);
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}
