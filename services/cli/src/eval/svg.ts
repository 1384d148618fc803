/** Minimal inline-SVG charts for the evaluation report: no external assets, no scripts. */

export interface Series {
  readonly name: string;
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"];
const W = 520;
const H = 360;
const PAD = { l: 56, r: 16, t: 28, b: 44 };

/** Escapes text for HTML and SVG content and attributes. */
export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

export interface ChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  /** Draw y = x (reliability diagram). */
  readonly diagonal?: boolean;
  readonly xTick?: (x: number) => string;
}

/** A line chart with markers, axes, ticks and a legend. */
export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const [x0, x1] = o.x[0] === o.x[1] ? [o.x[0] - 1, o.x[1] + 1] : o.x;
  const [y0, y1] = o.y[0] === o.y[1] ? [o.y[0] - 0.05, o.y[1] + 0.05] : o.y;
  const sx = (x: number): number => PAD.l + ((x - x0) / (x1 - x0)) * (W - PAD.l - PAD.r);
  const sy = (y: number): number => H - PAD.b - ((y - y0) / (y1 - y0)) * (H - PAD.t - PAD.b);
  const parts: string[] = [];
  parts.push(
    `<rect x="${PAD.l}" y="${PAD.t}" width="${W - PAD.l - PAD.r}" height="${H - PAD.t - PAD.b}" fill="none" stroke="#999"/>`,
  );
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    const x = x0 + ((x1 - x0) * i) / 4;
    parts.push(
      `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${sy(y).toFixed(1)}" y2="${sy(y).toFixed(1)}" stroke="#eee"/>`,
    );
    parts.push(
      `<text x="${PAD.l - 6}" y="${(sy(y) + 4).toFixed(1)}" text-anchor="end" font-size="11">${esc(y.toFixed(3))}</text>`,
    );
    parts.push(
      `<text x="${sx(x).toFixed(1)}" y="${H - PAD.b + 16}" text-anchor="middle" font-size="11">${esc(o.xTick ? o.xTick(x) : x.toFixed(2))}</text>`,
    );
  }
  if (o.diagonal) {
    parts.push(
      `<line x1="${sx(x0)}" y1="${sy(x0)}" x2="${sx(x1)}" y2="${sy(x1)}" stroke="#bbb" stroke-dasharray="4 4"/>`,
    );
  }
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length] ?? "#000";
    const pts = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    if (pts.length > 1) {
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ")}"/>`,
      );
    }
    for (const p of pts)
      parts.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${color}"/>`);
    parts.push(`<rect x="${PAD.l + 8}" y="${PAD.t + 8 + i * 16}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text x="${PAD.l + 22}" y="${PAD.t + 17 + i * 16}" font-size="11">${esc(s.name)}</text>`);
  });
  parts.push(`<text x="${W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(o.title)}</text>`);
  parts.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${esc(o.xLabel)}</text>`);
  parts.push(
    `<text x="14" y="${H / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${H / 2})">${esc(o.yLabel)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif">${parts.join("")}</svg>`;
}
