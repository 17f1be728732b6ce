#!/usr/bin/env node
// firstnames.mjs — writes the first names the detector of identifying data
// (src/workgroup/detect.c) reads: those of the French-speaking locales of
// @faker-js/faker (fr, fr_BE, fr_CH, fr_SN) and of its English one (names
// common in France such as Kevin, Dylan or Jessica come from there), one per
// line, NFC, sorted.  content/workgroup/prenoms.txt completes the list by
// hand and content/workgroup/prenoms-exclus.txt takes words out of it.
//
// Usage: node scripts/firstnames.mjs [OUTPUT]
// (default node_modules/.vigie/prenoms.txt, where Vigie looks for it).
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = process.argv[2] ?? join(root, 'node_modules/.vigie/prenoms.txt');
const LOCALES = ['fr', 'fr_BE', 'fr_CH', 'fr_SN', 'en'];

let faker;
try {
	faker = await import('@faker-js/faker');
} catch (e) {
	console.error(`firstnames.mjs: @faker-js/faker is missing (npm ci): ${e.message}`);
	process.exit(1);
}
const version = JSON.parse(readFileSync(join(root,
    'node_modules/@faker-js/faker/package.json'), 'utf8')).version;

// A name is letters, possibly joined by hyphens or apostrophes.
const shape = /^\p{L}{2,}(?:[-'’]\p{L}+)*$/u;
const names = new Set();
for (const l of LOCALES) {
	const fn = faker[l]?.person?.first_name;
	if (!fn) {
		console.error(`firstnames.mjs: no first names in locale ${l}`);
		process.exit(1);
	}
	for (const k of ['generic', 'female', 'male'])
		for (const n of fn[k] ?? []) {
			const s = n.normalize('NFC').trim();
			if (shape.test(s))
				names.add(s);
		}
}
if (names.size < 1000) {
	console.error(`firstnames.mjs: only ${names.size} names, expected more`);
	process.exit(1);
}
const sorted = [...names].sort((a, b) => a < b ? -1 : a > b ? 1 : 0);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out + '.tmp', `# ${sorted.length} first names from @faker-js/faker ` +
    `${version} (${LOCALES.join(', ')}), written by scripts/firstnames.mjs\n` +
    sorted.join('\n') + '\n');
renameSync(out + '.tmp', out);
console.log(`firstnames.mjs: ${sorted.length} names in ${out}`);
