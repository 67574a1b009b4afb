/**
 * The BFF's files import each other in one direction only (issue #13: routes used to
 * import wiring that imported routes). esbuild resolves the imports of every bff/ file
 * exactly as the server build does; a depth-first walk over them finds any cycle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every cycle met by a depth-first walk, each as the files around it (first file repeated at the end). */
function cyclesIn(graph: Map<string, string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

test('no import cycle among the bff files', async () => {
  const result = await build({
    entryPoints: typeScriptFiles('bff'),
    bundle: true,
    metafile: true,
    write: false,
    outdir: 'unused',
    format: 'esm',
    platform: 'node',
    packages: 'external',
    logLevel: 'silent',
  });
  const inputs = result.metafile.inputs;
  const graph = new Map(
    Object.entries(inputs)
      .filter(([file]) => file.startsWith('bff/'))
      .map(([file, input]) => [file, input.imports.filter((i) => !i.external && i.path.startsWith('bff/')).map((i) => i.path)]),
  );
  assert.ok(graph.size > 100, `the walk saw the bff files (${graph.size})`);
  assert.deepEqual(cyclesIn(graph).map((cycle) => cycle.join(' → ')), []);
});
