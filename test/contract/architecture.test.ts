import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The layout's rules, checked on the source: one contract both sides import, no arrow
 * between the widget and the BFF, no import cycles, and nothing of zod in the widget's bundle.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sources(folder: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(ROOT, folder))) {
    const rel = path.join(folder, name);
    if (statSync(path.join(ROOT, rel)).isDirectory()) out.push(...sources(rel));
    else if (/\.tsx?$/.test(name) && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

interface Import {
  target: string;
  typeOnly: boolean;
}

/** Every static import and re-export of a file, resolved to a repository path (packages stay bare). */
function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const found: Import[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const match of text.matchAll(pattern)) {
    const spec = match[3]!;
    const typeOnly = match[2] !== undefined;
    found.push({ target: spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec, typeOnly });
  }
  return found;
}

const area = (target: string) => target.split(path.sep)[0]!;

describe('the layout', () => {
  const files = [...sources('contract'), ...sources('bff'), ...sources('widget')];
  const graph = new Map(files.map((f) => [f, importsOf(f)]));

  it('contract/ imports nothing from bff/ or widget/, and only zod among packages', () => {
    for (const file of files.filter((f) => area(f) === 'contract')) {
      for (const { target } of graph.get(file)!) {
        if (target.startsWith('node:')) continue;
        assert.ok(area(target) === 'contract' || target === 'zod', `${file} imports ${target}`);
      }
    }
  });

  it('no file in widget/ imports from bff/, and none in bff/ from widget/', () => {
    for (const file of files) {
      for (const { target } of graph.get(file)!) {
        if (area(file) === 'widget') assert.notEqual(area(target), 'bff', `${file} imports ${target}`);
        if (area(file) === 'bff') assert.notEqual(area(target), 'widget', `${file} imports ${target}`);
      }
    }
  });

  it('the widget takes only types and plain constants from the contract: never zod, never a schema at run time', () => {
    for (const file of files.filter((f) => area(f) === 'widget')) {
      for (const { target, typeOnly } of graph.get(file)!) {
        assert.notEqual(target, 'zod', `${file} imports zod`);
        if (area(target) !== 'contract' || typeOnly) continue;
        const text = readFileSync(path.join(ROOT, target), 'utf8');
        assert.doesNotMatch(text, /from 'zod'/, `${file} imports ${target} at run time, which builds zod schemas`);
      }
    }
  });

  it('has no import cycle in contract/, bff/ or widget/', () => {
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const { target } of graph.get(file) ?? []) if (graph.has(target)) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });
});
