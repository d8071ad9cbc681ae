/** How figures and instants read in the console (one place, so every screen says them alike). */

export function formatDays(days: number | null | undefined): string {
  if (days === null || days === undefined) return '—';
  return days === 1 ? '1 day' : `${days} days`;
}

/** "2025-03-07 09:00" in the browser's time zone; "—" for nothing. */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A calendar day as the API writes it (`YYYY-MM-DD`), or the day of an instant. */
export function formatDay(value: string | null | undefined): string {
  if (!value) return '—';
  return value.length >= 10 ? value.slice(0, 10) : value;
}

/** A `datetime-local` input's value (local time, no zone) as an ISO instant; empty = none. */
export function localInputToIso(value: string): string | null {
  if (value.trim() === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined) return '—';
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return '—';
  return `${Math.round(ratio * 1000) / 10} %`;
}
