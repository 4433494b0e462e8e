"use client";

import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import type { ClusterListItem, FlowListItem } from "@/lib/api-client.ts";
import { formatBytesRate, formatCount, formatRate, formatSeconds } from "@/lib/format.ts";
import { flowFigures, flowHealth, flowProblem, type Health, isReporting, stateLabel } from "./fleet.ts";

const NODE_H = 46;
const MARGIN = 8;
/** Rough width of a character of the node labels, to size nodes without measuring text. */
const CHAR_W = 7.4;

interface Size {
  width: number;
  height: number;
}

interface PlacedNode {
  cluster: ClusterListItem;
  x: number;
  y: number;
  w: number;
  h: number;
}

interface PlacedEdge {
  flow: FlowListItem;
  path: string;
  label: { x: number; y: number };
  lines: [string, string];
  health: Health;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

/** Clusters on an ellipse filling the box: first on the left (wide boxes) or on top (tall ones). */
function placeNodes(clusters: readonly ClusterListItem[], { width, height }: Size): PlacedNode[] {
  const n = clusters.length;
  const tall = height > width;
  const widest = tall || width < 560 ? 116 : 156;
  const longest = Math.max(...clusters.map((c) => c.alias.length), 8);
  let w = clamp(longest * CHAR_W + 24, 84, widest);
  if (n >= 3) {
    // Ramanujan's ellipse perimeter, shared among the nodes, keeps neighbours apart.
    const a = width / 2 - w / 2 - MARGIN;
    const b = height / 2 - NODE_H / 2 - MARGIN;
    const perimeter = Math.PI * (3 * (a + b) - Math.sqrt((3 * a + b) * (a + 3 * b)));
    w = clamp(Math.min(w, perimeter / n - 16), 76, widest);
  }
  const rx = Math.max(0, width / 2 - w / 2 - MARGIN);
  const ry = Math.max(0, height / 2 - NODE_H / 2 - MARGIN);
  const start = tall ? -Math.PI / 2 : Math.PI;
  // Equal steps along the ellipse's outline (not equal angles), so its flat sides do not crowd.
  const samples = 720;
  const outline = Array.from({ length: samples + 1 }, (_, k) => {
    const angle = start + (2 * Math.PI * k) / samples;
    return { angle, x: rx * Math.cos(angle), y: ry * Math.sin(angle) };
  });
  const travelled = [0];
  for (let k = 1; k <= samples; k += 1) {
    const a = outline[k - 1];
    const b = outline[k];
    travelled.push((travelled[k - 1] ?? 0) + (a && b ? Math.hypot(b.x - a.x, b.y - a.y) : 0));
  }
  const total = travelled[samples] ?? 1;
  let k = 0;
  const ring = clusters.map((_, i) => {
    const goal = (total * i) / n;
    while (k < samples && (travelled[k + 1] ?? total) < goal) k += 1;
    const angle = outline[k]?.angle ?? start;
    return { x: Math.cos(angle), y: Math.sin(angle) };
  });
  // Stretch the ring to the box on both axes (three nodes make a triangle, not a circle's top half).
  const fit = (values: number[], centre: number, radius: number) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return values.map((v) =>
      hi - lo < 1e-6 ? centre : centre - radius + ((v - lo) / (hi - lo)) * 2 * radius,
    );
  };
  const xs = fit(
    ring.map((p) => p.x),
    width / 2,
    rx,
  );
  const ys = fit(
    ring.map((p) => p.y),
    height / 2,
    ry,
  );
  return clusters.map((cluster, i) => ({
    cluster,
    x: xs[i] ?? width / 2,
    y: ys[i] ?? height / 2,
    w,
    h: NODE_H,
  }));
}

/** Where the line from a node's centre towards `toward` leaves its box (plus `pad`). */
function boundary(node: PlacedNode, toward: { x: number; y: number }, pad: number) {
  const dx = toward.x - node.x;
  const dy = toward.y - node.y;
  const t = Math.min(
    dx === 0 ? Number.POSITIVE_INFINITY : (node.w / 2 + pad) / Math.abs(dx),
    dy === 0 ? Number.POSITIVE_INFINITY : (node.h / 2 + pad) / Math.abs(dy),
  );
  return { x: node.x + dx * t, y: node.y + dy * t };
}

/** The two lines under an edge: its name (⚠ when unhealthy) and its figures or its problem. */
function edgeLines(flow: FlowListItem): [string, string] {
  const problem = flowProblem(flow);
  const figures = flowFigures(flow);
  if (problem === null) return [flow.name, figures];
  const second = problem === "lagging" ? figures : !isReporting(flow) ? problem : `${problem} · ${figures}`;
  return [`⚠ ${flow.name}`, second];
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** One edge per flow; the two directions between a pair bend to either side so both stay readable. */
function placeEdges(flows: readonly FlowListItem[], nodes: readonly PlacedNode[], size: Size): PlacedEdge[] {
  const byAlias = new Map(nodes.map((n) => [n.cluster.alias, n]));
  const directions = new Map<string, number>();
  for (const f of flows) {
    const key = `${f.sourceAlias}\u0000${f.targetAlias}`;
    directions.set(key, (directions.get(key) ?? 0) + 1);
  }
  // Labels keep off the nodes and off each other where the box allows it.
  const taken: Box[] = nodes.map((n) => ({
    left: n.x - n.w / 2 - 2,
    top: n.y - n.h / 2 - 2,
    right: n.x + n.w / 2 + 2,
    bottom: n.y + n.h / 2 + 2,
  }));
  const seen = new Map<string, number>();
  const edges: PlacedEdge[] = [];
  for (const flow of flows) {
    const from = byAlias.get(flow.sourceAlias);
    const to = byAlias.get(flow.targetAlias);
    if (from === undefined || to === undefined || from === to) continue;
    const key = `${flow.sourceAlias}\u0000${flow.targetAlias}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    const reverse = directions.has(`${flow.targetAlias}\u0000${flow.sourceAlias}`);
    const dx = to.x - from.x;
    const dy = to.y - from.y;
    const length = Math.hypot(dx, dy) || 1;
    // Right-hand normal of the direction of travel (y grows downwards).
    const nx = -dy / length;
    const ny = dx / length;
    const bend = (reverse ? 26 : 0) + index * 24;
    const control = { x: (from.x + to.x) / 2 + nx * bend * 2, y: (from.y + to.y) / 2 + ny * bend * 2 };
    const start = boundary(from, control, 2);
    const end = boundary(to, control, 3);
    const lines = edgeLines(flow);
    const halfWidth = Math.max(lines[0].length * 7, lines[1].length * 6.2) / 2 + 3;
    const at = (t: number) => ({
      x: (1 - t) ** 2 * start.x + 2 * (1 - t) * t * control.x + t ** 2 * end.x,
      y: (1 - t) ** 2 * start.y + 2 * (1 - t) * t * control.y + t ** 2 * end.y,
    });
    const boxAt = (p: { x: number; y: number }): Box => ({
      left: p.x - halfWidth,
      top: p.y - 17,
      right: p.x + halfWidth,
      bottom: p.y + 14,
    });
    const inside = (p: { x: number; y: number }) => ({
      x: clamp(
        p.x,
        Math.min(halfWidth + 2, size.width / 2),
        Math.max(size.width - halfWidth - 2, size.width / 2),
      ),
      y: clamp(p.y, 19, size.height - 16),
    });
    // The first spot near the middle that covers nothing; failing that, the one that covers least.
    let label = inside(at(0.5));
    let best = Number.POSITIVE_INFINITY;
    search: for (const offset of [0, 16, -16, 30, -30, 46, -46, 62, -62]) {
      for (const t of [0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74]) {
        const p = at(t);
        const candidate = inside({ x: p.x + nx * offset, y: p.y + ny * offset });
        const box = boxAt(candidate);
        let covered = 0;
        for (const [i, b] of taken.entries()) {
          if (!overlaps(b, box)) continue;
          const area =
            (Math.min(b.right, box.right) - Math.max(b.left, box.left)) *
            (Math.min(b.bottom, box.bottom) - Math.max(b.top, box.top));
          // Covering a node is worse than covering another label.
          covered += i < nodes.length ? area * 3 : area;
        }
        // A small cost for straying from the middle of the edge.
        const score = covered + Math.abs(offset) * 2 + Math.abs(t - 0.5) * 100;
        if (covered === 0 && offset === 0 && t === 0.5) {
          label = candidate;
          break search;
        }
        if (score < best) {
          best = score;
          label = candidate;
        }
      }
    }
    taken.push(boxAt(label));
    edges.push({
      flow,
      path: `M${start.x.toFixed(1)},${start.y.toFixed(1)} Q${control.x.toFixed(1)},${control.y.toFixed(1)} ${end.x.toFixed(1)},${end.y.toFixed(1)}`,
      label,
      lines,
      health: flowHealth(flow),
    });
  }
  return edges;
}

const truncate = (text: string, chars: number) =>
  text.length <= chars ? text : `${text.slice(0, Math.max(1, chars - 1))}…`;

function nodeName(c: ClusterListItem): string {
  const { health } = c;
  if (!health.reachable) return `Cluster ${c.alias}: unreachable, ${health.error?.message ?? "no answer"}`;
  const brokers = health.brokerCount ?? 0;
  return `Cluster ${c.alias}: reachable, ${brokers} broker${brokers === 1 ? "" : "s"}`;
}

function edgeName(f: FlowListItem): string {
  const parts = [`Flow ${f.name} from ${f.sourceAlias} to ${f.targetAlias}`, stateLabel(f.state)];
  const problem = flowProblem(f);
  if (problem !== null) parts.push(problem);
  if (isReporting(f)) {
    parts.push(`${formatRate(f.live.recordsPerSec)}, ${formatBytesRate(f.live.bytesPerSec)}`);
    if (f.live.lagRecords !== null) {
      parts.push(
        f.live.lagRecords === 0
          ? "caught up"
          : `${formatCount(f.live.lagRecords)} records, ${formatSeconds(f.live.maxLagSeconds ?? 0)} behind`,
      );
    }
  }
  return parts.join(", ");
}

export interface TopologyProps {
  clusters: readonly ClusterListItem[] | undefined;
  flows: readonly FlowListItem[] | undefined;
  error: string | null;
}

/** Clusters as nodes, flows as arrows from source to target, coloured by health; all of it links. */
export function Topology({ clusters, flows, error }: TopologyProps) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<Size | null>(null);
  const id = useId();
  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry === undefined) return;
      const { width, height } = entry.contentRect;
      setSize((old) =>
        old !== null && Math.abs(old.width - width) < 1 && Math.abs(old.height - height) < 1
          ? old
          : { width: Math.round(width), height: Math.round(height) },
      );
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  let body: ReactNode;
  if (clusters === undefined || flows === undefined || size === null) {
    body = error ? (
      <p className="error-text topology-message">Could not load the topology: {error}</p>
    ) : (
      <p className="muted topology-message">Loading topology…</p>
    );
  } else if (clusters.length === 0) {
    body = (
      <p className="muted topology-message">
        No clusters registered yet. <a href="/clusters">Add a cluster</a> to see it here.
      </p>
    );
  } else {
    const nodes = placeNodes(clusters, size);
    const edges = placeEdges(flows, nodes, size);
    const marker = (h: Health) => `${id}-arrow-${h}`;
    body = (
      <svg
        aria-label={`Replication topology: ${clusters.length} cluster${clusters.length === 1 ? "" : "s"}, ${edges.length} flow${edges.length === 1 ? "" : "s"}`}
        width={size.width}
        height={size.height}
        viewBox={`0 0 ${size.width} ${size.height}`}
        data-testid="topology"
      >
        <defs>
          {(["ok", "bad", "muted"] as const).map((h) => (
            <marker
              key={h}
              id={marker(h)}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerUnits="userSpaceOnUse"
              markerWidth="11"
              markerHeight="11"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" className={`arrow ${h}`} />
            </marker>
          ))}
        </defs>
        <g className="nodes">
          {nodes.map((n) => {
            const { health } = n.cluster;
            const chars = Math.floor((n.w - 14) / CHAR_W);
            const brokers = health.brokerCount ?? 0;
            const status = health.reachable
              ? `${n.w >= 150 ? "reachable · " : "✓ "}${brokers} broker${brokers === 1 ? "" : "s"}`
              : "✕ unreachable";
            return (
              <a
                key={n.cluster.id}
                href={`#cluster-${n.cluster.alias}`}
                aria-label={nodeName(n.cluster)}
                data-testid={`topology-node-${n.cluster.alias}`}
                className={`node ${health.reachable ? "ok" : "bad"}`}
              >
                <title>{nodeName(n.cluster)}</title>
                <rect
                  className="node-box"
                  x={n.x - n.w / 2}
                  y={n.y - n.h / 2}
                  width={n.w}
                  height={n.h}
                  rx="8"
                />
                <text className="node-name" x={n.x} y={n.y - 4} textAnchor="middle">
                  {truncate(n.cluster.alias, chars)}
                </text>
                <text className="node-status" x={n.x} y={n.y + 13} textAnchor="middle">
                  {truncate(status, Math.floor((n.w - 10) / 6))}
                </text>
              </a>
            );
          })}
        </g>
        <g className="edges">
          {edges.map((e) => (
            <a
              key={e.flow.id}
              href={`/flows/${encodeURIComponent(e.flow.id)}`}
              aria-label={edgeName(e.flow)}
              data-testid={`topology-edge-${e.flow.name}`}
              data-health={e.health}
              className={`edge ${e.health}`}
            >
              <title>{edgeName(e.flow)}</title>
              <path className="edge-hit" d={e.path} />
              <path className="edge-focus" d={e.path} />
              <path className="edge-path" d={e.path} markerEnd={`url(#${marker(e.health)})`} />
              <text className="edge-label" x={e.label.x} y={e.label.y - 5} textAnchor="middle">
                {e.lines[0]}
              </text>
              <text
                className="edge-figures"
                x={e.label.x}
                y={e.label.y + 10}
                textAnchor="middle"
                data-testid="topology-edge-figures"
              >
                {e.lines[1]}
              </text>
            </a>
          ))}
        </g>
      </svg>
    );
  }

  return (
    <div className="topology-box" ref={box}>
      {body}
    </div>
  );
}

/** What the edge styles mean, without relying on colour alone. */
export function TopologyLegend() {
  const sample = (h: Health) => (
    <svg width="34" height="10" aria-hidden="true" focusable="false">
      <line className={`legend-line ${h}`} x1="1" y1="5" x2="33" y2="5" />
    </svg>
  );
  return (
    <ul className="topology-legend muted" aria-label="Legend">
      <li>{sample("ok")} running or catching up</li>
      <li>{sample("bad")} failed, no heartbeat or over 60 s behind (⚠)</li>
      <li>{sample("muted")} created, paused or stopped</li>
    </ul>
  );
}
