/**
 * docs/widget-reference.md, from the custom-elements manifest that
 * `cem analyze` writes for the widget (the same manifest the package ships as
 * `connections-panel/custom-elements.json`): for each public element its attributes, properties,
 * methods, events, CSS parts and custom properties, with the descriptions from the JSDoc in widget/.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

interface Described { name: string; description?: string; type?: { text: string }; default?: string }
interface Member extends Described { kind: 'field' | 'method'; privacy?: string; static?: boolean; readonly?: boolean; parameters?: Described[] }
interface Attribute extends Described { fieldName?: string }
interface Declaration {
  tagName?: string; customElement?: boolean; description?: string; summary?: string;
  attributes?: Attribute[]; members?: Member[]; events?: Described[];
  cssParts?: Described[]; cssProperties?: Described[]; slots?: Described[];
}
export interface Manifest { modules: { path: string; declarations?: Declaration[] }[] }

/** The elements a host uses; the others are the panel's own parts. */
const PUBLIC_ELEMENTS = ['connections-panel', 'connections-summary'];

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the analyzer exactly as `npm run build` does, into a folder of its own. */
export async function analyzeWidget(): Promise<Manifest> {
  const dir = await mkdtemp(join(tmpdir(), 'cem-'));
  try {
    const bin = join(root, 'node_modules/.bin/cem');
    // Left to itself the analyzer also points package.json's customElements at its output.
    const config = join(dir, 'cem.config.mjs');
    await writeFile(config, 'export default { packagejson: false };\n');
    // It resolves --outdir against the working directory.
    await promisify(execFile)(bin, ['analyze', '--config', config, '--litelement', '--globs', 'widget/**/*.ts', '--outdir', relative(root, dir), '--quiet'], { cwd: root });
    return JSON.parse(await readFile(join(dir, 'custom-elements.json'), 'utf8')) as Manifest;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const cell = (text: string | undefined) => (text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ').trim();
const code = (text: string | undefined) => (text ? `\`${cell(text)}\`` : '');

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

function element(path: string, d: Declaration): string {
  const attributes = d.attributes ?? [];
  const reflected = new Set(attributes.map((a) => a.fieldName));
  const publicMembers = (d.members ?? []).filter((m) => !m.static && (m.privacy ?? 'public') === 'public' && !m.name.startsWith('#'));
  const fields = publicMembers.filter((m) => m.kind === 'field' && !reflected.has(m.name));
  const methods = publicMembers.filter((m) => m.kind === 'method');
  const parts: string[] = [`## \`<${d.tagName}>\``, '', `Source: \`${path}\`.${d.description ? ` ${cell(d.description)}` : ''}`, ''];
  const sections: [string, string][] = [
    ['Attributes', table(['attribute', 'property', 'type', 'default', 'meaning'], attributes.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), cell(a.description)]))],
    ['Properties', table(['property', 'type', 'default', 'meaning'], fields.map((f) => [code(f.name), code(f.type?.text), code(f.default), cell(f.description)]))],
    ['Methods', table(['method', 'meaning'], methods.map((m) => [code(`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`), cell(m.description)]))],
    ['Events', table(['event', 'type', 'when'], (d.events ?? []).filter((e) => e.name).map((e) => [code(e.name), code(e.type?.text), cell(e.description)]))],
    ['CSS parts', table(['part', 'what'], (d.cssParts ?? []).map((p) => [code(p.name), cell(p.description)]))],
    ['CSS custom properties', table(['property', 'what'], (d.cssProperties ?? []).map((p) => [code(p.name), cell(p.description)]))],
  ];
  for (const [title, body] of sections) if (body) parts.push(`### ${title}`, '', body);
  return parts.join('\n');
}

export function renderWidgetReference(manifest: Manifest): string {
  const found = new Map<string, string>();
  for (const module of manifest.modules) {
    for (const d of module.declarations ?? []) {
      if (d.tagName && PUBLIC_ELEMENTS.includes(d.tagName)) found.set(d.tagName, element(module.path, d));
    }
  }
  const missing = PUBLIC_ELEMENTS.filter((tag) => !found.has(tag));
  if (missing.length) throw new Error(`the manifest has no ${missing.join(', ')}`);
  return [
    '# Widget reference',
    '',
    '<!-- Generated from the custom-elements manifest (cem analyze over widget/) by `npm run generate`: edit the JSDoc in widget/, not this file. -->',
    '',
    'The public elements as the package\'s `custom-elements.json` describes them. How they behave, languages and theming: [widget.md](widget.md).',
    '',
    ...PUBLIC_ELEMENTS.map((tag) => found.get(tag)!),
  ].join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}
