#!/usr/bin/env node
// Builds shared/rules/regions.json from the GB/T 2260 address-code table (every county-level code
// published 1980–2019, see ../shared/data/README.md). The JSON is committed; run this again only when
// the table changes:
//
//   node scripts/build-regions.mjs [path/to/gb2260-codes.tsv]
//
// Output shape (kept compact, it ships in the renderer bundle):
//   { "source": "...", "latestRevision": 201904, "codes": { "110104": ["宣武区", 200912], ... } }
// A code is current when its last revision equals latestRevision.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourcePath = resolve(process.argv[2] ?? resolve(repoRoot, '../shared/data/gb2260-codes.tsv'));
const targetPath = resolve(repoRoot, 'shared/rules/regions.json');

const lines = readFileSync(sourcePath, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
const [header, ...rows] = lines;
if (header !== 'code\tname\tfirst_seen\tlast_seen') {
  throw new Error(`unexpected header in ${sourcePath}: ${header}`);
}

const codes = {};
let latestRevision = 0;
for (const [index, row] of rows.entries()) {
  const fields = row.split('\t');
  const [code, name, firstSeen, lastSeen] = fields;
  const where = `${sourcePath}:${index + 2}`;
  if (fields.length !== 4) throw new Error(`${where}: expected 4 columns, found ${fields.length}`);
  if (!/^\d{6}$/.test(code)) throw new Error(`${where}: bad code ${code}`);
  if (!/^\d{6}$/.test(firstSeen) || !/^\d{6}$/.test(lastSeen)) throw new Error(`${where}: bad revision`);
  if (name.trim() === '' || name !== name.trim()) throw new Error(`${where}: bad name`);
  if (code in codes) throw new Error(`${where}: duplicate code ${code}`);
  const last = Number(lastSeen);
  codes[code] = [name, last];
  if (last > latestRevision) latestRevision = last;
}

// Sorted keys so that a rebuild from the same table gives the same bytes.
const sorted = Object.fromEntries(Object.keys(codes).sort().map((code) => [code, codes[code]]));
const body = Object.entries(sorted)
  .map(([code, value]) => `    ${JSON.stringify(code)}: ${JSON.stringify(value)}`)
  .join(',\n');
const json =
  '{\n' +
  `  "source": "GB/T 2260 county-level address codes, revisions 1980–2019 (compiled from the public cn/GB2260 data set)",\n` +
  `  "latestRevision": ${latestRevision},\n` +
  `  "codes": {\n${body}\n  }\n}\n`;
JSON.parse(json); // refuse to write something that does not parse
writeFileSync(targetPath, json);
console.log(`wrote ${Object.keys(sorted).length} codes (latest revision ${latestRevision}) to ${targetPath}`);
