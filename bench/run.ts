/**
 * npm run bench: every benchmark in turn, each figure printed beside its budget, all of them
 * written to bench-results.json ([{ name, value, unit, budget, ok }]). Exits 1 when a budget
 * is missed. `npm run bench -- render refresh` runs only those (size, render, bff, refresh, agencies, health).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { bffThroughput } from './bff-throughput.ts';
import { agencies } from './agencies.ts';
import { refreshScale } from './refresh-scale.ts';
import { healthBenchmark } from './health.ts';
import { describeMachine, holds, machine, table, type Figure } from './report.ts';
import { CHROME_PATH, widgetRender } from './widget-render.ts';
import { buildBundle, widgetSize } from './widget-size.ts';

const RESULTS = new URL('../bench-results.json', import.meta.url);

const benchmarks: { key: string; title: string; run: (notes: string[]) => Promise<Figure[]> }[] = [
  { key: 'size', title: '1. Widget size', run: () => widgetSize() },
  {
    key: 'render',
    title: '2. Widget render (headless Chromium)',
    run: async (notes) => {
      if (!existsSync(CHROME_PATH)) execFileSync('bash', [new URL('../scripts/ensure-chromium.sh', import.meta.url).pathname], { stdio: 'inherit' });
      if (!selected.has('size')) await buildBundle();
      return widgetRender(notes);
    },
  },
  { key: 'bff', title: '3. BFF throughput (PostgreSQL, autocannon)', run: bffThroughput },
  { key: 'refresh', title: '4. Refresh at scale', run: refreshScale },
  { key: 'agencies', title: '5. Agencies: 5,000 accounts, history pages (PostgreSQL, autocannon)', run: agencies },
  { key: 'health', title: '6. Health: platform calls and time to amber (agency mix, simulated day)', run: healthBenchmark },
];

const asked = process.argv.slice(2);
const unknown = asked.filter((a) => !benchmarks.some((b) => b.key === a));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}: choose from ${benchmarks.map((b) => b.key).join(', ')}.`);
  process.exit(2);
}
const selected = new Set(asked.length > 0 ? asked : benchmarks.map((b) => b.key));

const started = performance.now();
console.log(`Machine: ${describeMachine(machine())}\n`);
const figures: Figure[] = [];
for (const bench of benchmarks.filter((b) => selected.has(b.key))) {
  const notes: string[] = [];
  const t = performance.now();
  console.log(`${bench.title}...`);
  let results: Figure[];
  try {
    results = await bench.run(notes);
  } catch (err) {
    console.error(err);
    results = [holds(`${bench.title}: ran to the end`, false, 'no error')];
  }
  figures.push(...results);
  console.log(`${table(results)}\n`);
  for (const note of notes) console.log(`${note}\n`);
  console.log(`(${((performance.now() - t) / 1000).toFixed(0)} s)\n`);
}

await writeFile(RESULTS, `${JSON.stringify(figures, null, 2)}\n`);
const missed = figures.filter((f) => f.ok === false);
console.log(`All figures (${describeMachine(machine())}):\n\n${table(figures)}\n`);
console.log(`Wrote ${figures.length} figures to bench-results.json in ${((performance.now() - started) / 1000).toFixed(0)} s.`);
if (missed.length > 0) {
  console.log(`${missed.length} budget${missed.length === 1 ? '' : 's'} missed: ${missed.map((f) => f.name).join('; ')}.`);
  process.exitCode = 1;
} else {
  console.log('Every budget holds.');
}
