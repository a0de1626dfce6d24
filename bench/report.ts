import os from 'node:os';

/**
 * One measured figure, as bench-results.json stores it. `budget` says what the figure must
 * stay within, in words a reader can check (`null` for reference figures, which have no
 * budget: the absolute numbers behind a ratio); `ok` says whether it does (`null` likewise).
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  budget: string | null;
  ok: boolean | null;
}

/** A figure that must stay at or below `max`. */
export function atMost(name: string, value: number, unit: string, max: number): Figure {
  return { name, value: round(value), unit, budget: `<= ${max} ${unit}`.trim(), ok: value <= max };
}

/** A figure that must stay below `max`. */
export function below(name: string, value: number, unit: string, max: number): Figure {
  return { name, value: round(value), unit, budget: `< ${max} ${unit}`.trim(), ok: value < max };
}

/** A figure that must reach at least `min`. */
export function atLeast(name: string, value: number, unit: string, min: number): Figure {
  return { name, value: round(value), unit, budget: `>= ${min} ${unit}`.trim(), ok: value >= min };
}

/** A figure that must equal `expected` exactly (counts). */
export function exactly(name: string, value: number, unit: string, expected: number): Figure {
  return { name, value: round(value), unit, budget: `= ${expected} ${unit}`.trim(), ok: value === expected };
}

/** An absolute number kept for reference beside a ratio: no budget of its own. */
export function reference(name: string, value: number, unit: string): Figure {
  return { name, value: round(value), unit, budget: null, ok: null };
}

/** A check that is true or false (shown as 1 or 0). */
export function holds(name: string, value: boolean, budget: string): Figure {
  return { name, value: value ? 1 : 0, unit: 'yes/no', budget, ok: value };
}

function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return Number(value.toFixed(digits));
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function describeMachine(m: Machine): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node}, ${m.platform}`;
}

/** The figures as a fixed-width table: name, value, unit, budget, ok. */
export function table(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.name, Number.isFinite(f.value) ? String(f.value) : 'n/a', f.unit, f.budget ?? '(reference)', f.ok === null ? '' : f.ok ? 'ok' : 'FAIL']);
  const header = ['figure', 'value', 'unit', 'budget', 'ok'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
