// The installed package itself: entry points, exports, declared types, no runtime dependencies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as esm from 'ccpa-optout';
import init from 'ccpa-optout';

const require = createRequire(import.meta.url);
const packageDir = require.resolve('ccpa-optout/package.json').replace(/package\.json$/, '');
const manifest = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8'));

test('the package has no runtime dependencies and supports Node 18+', () => {
  assert.equal(manifest.name, 'ccpa-optout');
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.engines.node, '>=18');
});

test('every runtime export is declared in index.d.ts and vice versa', () => {
  const declarations = readFileSync(`${packageDir}index.d.ts`, 'utf8');
  const declared = new Set(
    [...declarations.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]),
  );
  const exported = Object.keys(esm).filter((name) => name !== 'default');
  assert.deepEqual([...declared].sort(), [...new Set(exported)].sort());
  assert.equal(readFileSync(`${packageDir}index.d.cts`, 'utf8'), declarations);
});

test('init resolves at once in Node; the default export is init', async () => {
  assert.equal(init, esm.init);
  await init();
  esm.initSync();
});

test('both builds ship, sharing one .wasm; the browser entry re-exports the web build', () => {
  const browser = readFileSync(`${packageDir}browser.js`, 'utf8');
  assert.match(browser, /from '\.\/web\/ccpa_optout_wasm\.js'/);
  assert.ok(readFileSync(`${packageDir}web/ccpa_optout_wasm_bg.wasm`).length > 10_000);
  assert.ok(readFileSync(`${packageDir}node/ccpa_optout_wasm.js`, 'utf8').includes("'web', 'ccpa_optout_wasm_bg.wasm'"));
});

test('the page entry: no WebAssembly, no imports, every export declared, at most 3 KB gzipped', async (t) => {
  const code = readFileSync(`${packageDir}page.js`, 'utf8').replace(/^\s*\/\/.*$/gm, '');
  assert.doesNotMatch(code, /^\s*import\s|\bimport\(|WebAssembly|\.wasm\b|require\(/m);
  const page = await import('ccpa-optout/page');
  const declarations = readFileSync(`${packageDir}page.d.ts`, 'utf8');
  const declared = [...declarations.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(declared.sort(), Object.keys(page).sort());
  assert.deepEqual(manifest.exports['./page'], { types: './page.d.ts', default: './page.js' });
  // Measured as the README states it: `gzip -9 -c page.js | wc -c`.
  const gzipped = execFileSync('gzip', ['-9', '-c', `${packageDir}page.js`]).length;
  t.diagnostic(`page.js: ${gzipped} bytes gzipped (budget 3072)`);
  assert.ok(gzipped <= 3072, `page.js is ${gzipped} bytes gzipped, over the 3 KB budget`);
});
