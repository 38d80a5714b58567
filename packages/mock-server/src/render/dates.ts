import type { Dialect } from '@fornex-flow/core';

const monthsEn = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
// Genitive case, as in "19 декабря 2017 г.".
const monthsRu = [
  'января',
  'февраля',
  'марта',
  'апреля',
  'мая',
  'июня',
  'июля',
  'августа',
  'сентября',
  'октября',
  'ноября',
  'декабря',
];

/** One day in milliseconds. */
export const DAY_MS = 86_400_000;

/** The service's own zone: Europe/Moscow, UTC+3 all year since 2014. */
const MOSCOW_OFFSET_MS = 3 * 3600_000;

function moscow(ms: number): Date {
  return new Date(ms + MOSCOW_OFFSET_MS);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Python's `datetime.isoformat()` without microseconds: `2015-12-18T17:21:46` (Moscow time). */
export function isoDateTime(ms: number): string {
  return moscow(ms).toISOString().slice(0, 19);
}

/** Parses `isoDateTime` output (or any ISO date-time without a zone) as Moscow time. */
export function parseIsoDateTime(text: string): number {
  const ms = Date.parse(`${text.length === 10 ? `${text}T00:00:00` : text.slice(0, 19)}Z`);
  return Number.isNaN(ms) ? 0 : ms - MOSCOW_OFFSET_MS;
}

/** A day as the SSH key list writes it: `December 19, 2017` / `19 декабря 2017 г.`. */
export function longDate(ms: number, dialect: Dialect): string {
  const d = moscow(ms);
  return dialect === 'ru'
    ? `${d.getUTCDate()} ${monthsRu[d.getUTCMonth()]} ${d.getUTCFullYear()} г.`
    : `${monthsEn[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
}

/** A moment as the statistics subtitle writes it: `November 16, 2015, 17:18` / `16 ноября 2015, 17:18`. */
export function longDateTime(ms: number, dialect: Dialect): string {
  const d = moscow(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return dialect === 'ru'
    ? `${d.getUTCDate()} ${monthsRu[d.getUTCMonth()]} ${d.getUTCFullYear()}, ${time}`
    : `${monthsEn[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${time}`;
}

/** A moment as log_details writes it: `03.01.2019 11:10`. */
export function logTime(ms: number): string {
  const d = moscow(ms);
  return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** Midnight of a `YYYY-MM-DD` day in Moscow, in epoch ms. */
export function moscowMidnight(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - MOSCOW_OFFSET_MS;
}

/** The Moscow calendar day of a moment, `YYYY-MM-DD`. */
export function moscowDay(ms: number): string {
  return moscow(ms).toISOString().slice(0, 10);
}
