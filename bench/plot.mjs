// The SVG plot of npm run bench, written by hand (no plotting library): engine steps/s against
// concurrent runs for each store, and the mock's req/s next to its baselines.

const W = 1100;
const H = 380;
const colors = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const esc = (text) =>
  String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const fmtK = (n) => (n >= 1000 ? `${(n / 1000).toFixed(n >= 10_000 ? 0 : 1)}k` : `${Math.round(n)}`);

/** A "nice" upper bound for an axis (1, 2, 4 or 8 times a power of ten: quarters stay round), at least `max`. */
function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 4, 8, 10].map((m) => m * power).find((v) => v >= max);
}

function axes(x0, y0, w, h, yMax, yLabel) {
  const parts = [`<line x1="${x0}" y1="${y0}" x2="${x0 + w}" y2="${y0}" stroke="#333"/>`];
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 - h}" stroke="#333"/>`);
  for (let i = 0; i <= 4; i++) {
    const y = y0 - (h * i) / 4;
    parts.push(`<line x1="${x0}" y1="${y}" x2="${x0 + w}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y + 4}" text-anchor="end">${fmtK((yMax * i) / 4)}</text>`);
  }
  parts.push(
    `<text x="${x0 - 48}" y="${y0 - h / 2}" text-anchor="middle" transform="rotate(-90 ${x0 - 48} ${y0 - h / 2})">${esc(yLabel)}</text>`,
  );
  return parts;
}

/**
 * Lines of steps/s at 1, 10 and 100 concurrent runs, both axes on a log scale (SQLite and
 * PostgreSQL differ by 10-100x). series: [{ label, points: [[runs, stepsPerSecond]], dashed? }]
 */
function linePanel(x0, y0, w, h, title, series) {
  const values = series.flatMap((s) => s.points.map(([, v]) => v)).filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.floor(Math.log10(Math.min(...values, 100)));
  const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...values, 1000))));
  const xOf = (runs) => x0 + 20 + ((w - 40) * Math.log10(runs)) / 2;
  const yOf = (v) => y0 - (h * (Math.log10(v) - lo)) / (hi - lo);
  const parts = [
    `<text x="${x0 + w / 2}" y="${y0 - h - 14}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
  ];
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0 + w}" y2="${y0}" stroke="#333"/>`);
  parts.push(`<line x1="${x0}" y1="${y0}" x2="${x0}" y2="${y0 - h}" stroke="#333"/>`);
  for (let p = lo; p <= hi; p++) {
    const y = yOf(10 ** p);
    parts.push(`<line x1="${x0}" y1="${y}" x2="${x0 + w}" y2="${y}" stroke="#ddd"/>`);
    parts.push(`<text x="${x0 - 6}" y="${y + 4}" text-anchor="end">${fmtK(10 ** p)}</text>`);
  }
  parts.push(
    `<text x="${x0 - 48}" y="${y0 - h / 2}" text-anchor="middle" transform="rotate(-90 ${x0 - 48} ${y0 - h / 2})">steps/s (log scale)</text>`,
  );
  for (const runs of [1, 10, 100])
    parts.push(`<text x="${xOf(runs)}" y="${y0 + 16}" text-anchor="middle">${runs}</text>`);
  parts.push(`<text x="${x0 + w / 2}" y="${y0 + 32}" text-anchor="middle">concurrent runs</text>`);
  series.forEach((s, i) => {
    const color = colors[i % colors.length];
    const points = s.points.filter(([, v]) => Number.isFinite(v) && v > 0);
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    if (points.length > 1)
      parts.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${points.map(([r, v]) => `${xOf(r).toFixed(1)},${yOf(v).toFixed(1)}`).join(' ')}"/>`,
      );
    for (const [r, v] of points)
      parts.push(`<circle cx="${xOf(r).toFixed(1)}" cy="${yOf(v).toFixed(1)}" r="3.5" fill="${color}"/>`);
    const ly = y0 - h + 4 + i * 16;
    parts.push(
      `<line x1="${x0 + w + 12}" y1="${ly}" x2="${x0 + w + 32}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    parts.push(`<text x="${x0 + w + 36}" y="${ly + 4}">${esc(s.label)}</text>`);
  });
  return parts;
}

/** Grouped bars: groups [{ label, bars: [{ label, value }] }] (a missing value draws nothing). */
function barPanel(x0, y0, w, h, title, groups, yLabel) {
  const values = groups.flatMap((g) => g.bars.map((b) => b.value)).filter(Number.isFinite);
  const yMax = niceMax(Math.max(...values, 1));
  const parts = [
    `<text x="${x0 + w / 2}" y="${y0 - h - 14}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
  ];
  parts.push(...axes(x0, y0, w, h, yMax, yLabel));
  const groupW = w / Math.max(1, groups.length);
  groups.forEach((group, g) => {
    const barW = (groupW - 20) / Math.max(1, group.bars.length);
    group.bars.forEach((bar, b) => {
      if (!Number.isFinite(bar.value)) return;
      const x = x0 + g * groupW + 10 + b * barW;
      const bh = (h * bar.value) / yMax;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${(y0 - bh).toFixed(1)}" width="${(barW - 3).toFixed(1)}" height="${bh.toFixed(1)}" fill="${colors[b % colors.length]}"/>`,
      );
      parts.push(
        `<text x="${(x + barW / 2).toFixed(1)}" y="${(y0 - bh - 3).toFixed(1)}" text-anchor="middle" font-size="10">${fmtK(bar.value)}</text>`,
      );
    });
    parts.push(
      `<text x="${x0 + g * groupW + groupW / 2}" y="${y0 + 16}" text-anchor="middle">${esc(group.label)}</text>`,
    );
  });
  const legend = groups[0]?.bars ?? [];
  legend.forEach((bar, b) => {
    const lx = x0 + w - 70;
    const ly = y0 - h + 4 + b * 16;
    parts.push(`<rect x="${lx}" y="${ly - 8}" width="12" height="10" fill="${colors[b % colors.length]}"/>`);
    parts.push(`<text x="${lx + 16}" y="${ly + 1}">${esc(bar.label)}</text>`);
  });
  return parts;
}

/** The whole SVG document: the engine's lines on the left, the mock's bars on the right (if any). */
export function benchmarkSvg({ engineSeries, mockGroups, caption }) {
  const parts = linePanel(70, H - 60, mockGroups ? 330 : 700, 260, 'Engine: steps/s by concurrent runs', engineSeries);
  if (mockGroups) parts.push(...barPanel(720, H - 60, 340, 260, 'Mock under autocannon: req/s', mockGroups, 'req/s'));
  parts.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11" fill="#555">${esc(caption)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">
<title>${esc(`Engine steps per second by concurrent runs${mockGroups ? "; the mock's requests per second next to its baselines" : ''}. ${caption}`)}</title>
<rect width="${W}" height="${H}" fill="white"/>
${parts.join('\n')}
</svg>
`;
}
