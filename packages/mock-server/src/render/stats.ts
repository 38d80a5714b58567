import type { Dialect, params } from '@fornex-flow/core';
import { pyFloat } from '../py-json/index.js';
import { DAY_MS, longDateTime, moscowMidnight } from './dates.js';
import { createRandom, hashString } from './random.js';

interface SeriesSpec {
  readonly name: readonly [en: string, ru: string];
  readonly color: string;
  readonly type?: string;
  /** Typical magnitude of a value. */
  readonly scale: number;
}

/** A statistics field of `vps_stat`, as the contract lists them. */
type StatField = (typeof params.statFields)[number];

const seriesByField: Record<StatField, readonly SeriesSpec[]> = {
  traffic: [
    { name: ['Incoming', 'Входящий'], color: '#60B5FF', scale: 65000 },
    { name: ['Outgoing', 'Исходящий'], color: '#61D561', type: 'areaspline', scale: 4600 },
  ],
  cpu: [{ name: ['CPU usage', 'Загрузка CPU'], color: '#60B5FF', scale: 35 }],
  memory: [{ name: ['Used', 'Использовано'], color: '#60B5FF', scale: 512e6 }],
  disk: [{ name: ['Used', 'Занято'], color: '#60B5FF', scale: 6e9 }],
  inodes: [{ name: ['Used', 'Занято'], color: '#60B5FF', scale: 120000 }],
  io: [
    { name: ['Read', 'Чтение'], color: '#60B5FF', scale: 2.5e6 },
    { name: ['Write', 'Запись'], color: '#61D561', type: 'areaspline', scale: 1.2e6 },
  ],
};

/** The longest range one request may ask for. */
export const MAX_STATS_DAYS = 366;

/** Highcharts interval for a range: 5 minutes up to 2 days (as documented), then hourly, then daily. */
function intervalFor(spanMs: number): number {
  if (spanMs <= 2 * DAY_MS) return 300_000;
  if (spanMs <= 31 * DAY_MS) return 3_600_000;
  return DAY_MS;
}

/** Generates `vps_stat` series deterministically: the same order, field and range give the same data. */
export function generateStats(orderId: string, field: StatField, start: string, end: string, dialect: Dialect) {
  const pointStart = moscowMidnight(start);
  // `2015-11-16--2015-11-17` spans one day; a range of one day (start = end) covers that day.
  const pointEnd = end === start ? pointStart + DAY_MS : moscowMidnight(end);
  const pointInterval = intervalFor(pointEnd - pointStart);
  const count = Math.floor((pointEnd - pointStart) / pointInterval);
  const series = seriesByField[field].map((spec, index) => {
    const data = [];
    for (let i = 0; i < count; i++) {
      // Seeded by the point's own time, so overlapping ranges agree on shared points.
      const t = pointStart + i * pointInterval;
      const random = createRandom(hashString(`${orderId}|${field}|${index}|${t}`));
      const daily = 0.75 + 0.25 * Math.sin(((t % DAY_MS) / DAY_MS) * 2 * Math.PI);
      data.push(pyFloat(spec.scale * daily * (0.8 + 0.4 * random()) + random() / 7));
    }
    return {
      color: spec.color,
      data,
      name: spec.name[dialect === 'ru' ? 1 : 0],
      pointEnd,
      pointInterval,
      pointStart,
      ...(spec.type ? { type: spec.type } : {}),
    };
  });
  const zone = dialect === 'ru' ? 'Europe/Moscow' : 'Europe / Moscow';
  return { series, subtitle: `${longDateTime(pointStart, dialect)} - ${longDateTime(pointEnd, dialect)} (${zone})` };
}

/** A documented stats sample, with its data points marked as floats. */
export function renderStatsSample(sample: unknown): unknown {
  const doc = sample as { series: Array<{ data: number[] }>; subtitle: string };
  return { ...doc, series: doc.series.map((s) => ({ ...s, data: s.data.map(pyFloat) })) };
}
