/**
 * A small line chart as inline SVG: a self-contained report needs no script and no chart library,
 * and a handful of series over a minute of seconds needs nothing more than polylines and axes.
 */
export interface Series {
  name: string;
  color: string;
  /** [x, y]; a null y breaks the line. */
  points: Array<[number, number | null]>;
}

export interface ChartOptions {
  title: string;
  unit: string;
  series: Series[];
  /** Shaded x range (the measured window). */
  band?: [number, number];
  width?: number;
  height?: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A "nice" axis maximum (1, 2, 2.5, 5 × 10^n) at or above v. */
function niceMax(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function label(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(+v.toPrecision(3));
}

export function lineChart(o: ChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 220;
  const m = { left: 52, right: 12, top: 28, bottom: 38 };
  const w = width - m.left - m.right;
  const h = height - m.top - m.bottom;
  const xs = o.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = o.series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== null && Number.isFinite(y)));
  const xMax = Math.max(1, ...xs);
  const yMax = niceMax(Math.max(0, ...ys));
  const X = (x: number) => m.left + (x / xMax) * w;
  const Y = (y: number) => m.top + h - (Math.min(y, yMax) / yMax) * h;
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(o.title)}">`);
  parts.push(`<text x="${m.left}" y="16" class="title">${esc(o.title)}${o.unit ? ` (${esc(o.unit)})` : ''}</text>`);
  if (o.band) parts.push(`<rect x="${X(o.band[0])}" y="${m.top}" width="${Math.max(0, X(o.band[1]) - X(o.band[0]))}" height="${h}" class="band"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    parts.push(`<line x1="${m.left}" x2="${m.left + w}" y1="${Y(v)}" y2="${Y(v)}" class="grid"/>`);
    parts.push(`<text x="${m.left - 6}" y="${Y(v) + 4}" class="tick" text-anchor="end">${label(v)}</text>`);
  }
  const xStep = niceMax(xMax / 6);
  for (let x = 0; x <= xMax + 1e-9; x += xStep) {
    parts.push(`<text x="${X(x)}" y="${m.top + h + 16}" class="tick" text-anchor="middle">${label(x)}</text>`);
  }
  parts.push(`<text x="${m.left + w}" y="${height - 4}" class="tick" text-anchor="end">seconds</text>`);
  for (const s of o.series) {
    let d = '';
    let pen = false;
    for (const [x, y] of s.points) {
      if (y === null || !Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${X(x).toFixed(1)},${Y(y).toFixed(1)}`;
      pen = true;
    }
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.6"/>`);
  }
  let lx = m.left + 4;
  for (const s of o.series) {
    parts.push(`<rect x="${lx}" y="${m.top + 4}" width="10" height="3" fill="${s.color}"/><text x="${lx + 14}" y="${m.top + 9}" class="legend">${esc(s.name)}</text>`);
    lx += 24 + s.name.length * 6.2;
  }
  parts.push('</svg>');
  return parts.join('');
}
