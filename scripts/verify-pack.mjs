#!/usr/bin/env node
// Verifies a regulator pack (GET /v1/breach-incidents/{id}/pack) offline, with Node's standard library only:
//   node verify-pack.mjs pack.zip
// It checks that every file's SHA-256 matches the manifest, that no file is missing or extra, and that the audit
// trail (timeline.json) is an unbroken SHA-256 hash chain ending at the head the manifest names.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const zip = readFileSync(process.argv[2] ?? '');
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const fail = (message) => {
  console.error(`NOT VERIFIED: ${message}`);
  process.exit(1);
};

// The pack stores its files uncompressed: each is a local header (PK\x03\x04) followed by its bytes.
const files = new Map();
for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
  if (zip.readUInt16LE(at + 8) !== 0) fail('a file is compressed; this pack was not produced by the API');
  const size = zip.readUInt32LE(at + 18);
  const nameLength = zip.readUInt16LE(at + 26);
  const extraLength = zip.readUInt16LE(at + 28);
  const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
  const start = at + 30 + nameLength + extraLength;
  files.set(name, zip.subarray(start, start + size));
  at = start + size;
}

const manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? fail('manifest.json is missing'));
const listed = new Set(manifest.files.map((f) => f.path));
for (const name of files.keys()) if (name !== 'manifest.json' && !listed.has(name)) fail(`${name} is not in the manifest`);
for (const { path, sha256: expected } of manifest.files) {
  const bytes = files.get(path) ?? fail(`${path} is missing`);
  if (sha256(bytes) !== expected) fail(`${path} does not match its SHA-256 in the manifest`);
}

// The audit chain: each entry's hash is SHA-256 over its canonical JSON (keys sorted, no whitespace) without `hash`.
const canonical = (v) =>
  v === null || typeof v !== 'object'
    ? (JSON.stringify(v) ?? 'null')
    : Array.isArray(v)
      ? `[${v.map((x) => (x === undefined ? 'null' : canonical(x))).join(',')}]`
      : `{${Object.entries(v)
          .filter(([, x]) => x !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
          .join(',')}}`;
let previous = '0'.repeat(64);
const timeline = JSON.parse(files.get('timeline.json').toString('utf8'));
timeline.forEach((entry, index) => {
  const { hash, ...body } = entry;
  if (entry.seq !== index + 1) fail(`audit entry ${index + 1} is missing or out of order`);
  if (entry.prevHash !== previous) fail(`audit entry ${entry.seq} does not link to the one before it`);
  if (sha256(canonical(body)) !== hash) fail(`audit entry ${entry.seq} was modified after it was written`);
  previous = hash;
});
if (timeline.length !== manifest.auditChain.entries || previous !== manifest.auditChain.head)
  fail('the audit trail does not end at the head the manifest names');

// Evidence: each verified file's hash is the one the audit chain recorded when it was added; an included file has it.
const attachments = JSON.parse(files.get('attachments.json')?.toString('utf8') ?? '[]');
let evidence = 0;
for (const a of attachments.filter((x) => x.status === 'available' || x.status === 'withdrawn')) {
  const added = timeline.find((e) => e.action === 'attachment.added' && e.details?.attachmentId === a.id);
  if (!added || added.details.sha256 !== a.sha256) fail(`attachment ${a.id} has no matching attachment.added entry in the audit trail`);
  const included = a.file && files.get(a.file);
  if (included && sha256(included) !== a.sha256) fail(`${a.file} does not match the SHA-256 the audit trail recorded`);
  if (included) evidence++;
}
console.log(
  `VERIFIED: ${manifest.files.length} files and ${timeline.length} audit entries of incident ${manifest.incidentId}, chain head ${previous}; ${attachments.length} attachments listed, ${evidence} included and matching their recorded hashes`,
);
