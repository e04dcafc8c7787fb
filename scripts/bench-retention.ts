/**
 * Retention purge throughput: N expired records of each kind (image blobs of 30 KB on disk, encrypted, with a
 * crop each; enrollments, registrations, validations; finished jobs) in one tenant, back-dated, then one purge
 * (`purgeExpired`, the code the maintenance.retention job runs). Prints records erased per second.
 * PGlite in memory by default; PostgreSQL with --database-url (a temporary database is created and dropped).
 *
 *   npx tsx scripts/bench-retention.ts [-- --records 1000 --batch 500 --database-url postgresql://postgres@127.0.0.1:5432/test]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRepositories, embeddingToBytes, openDatabase } from '../packages/db/src/index.ts';
import { createLogger } from '../packages/logger/src/index.ts';
import { createFileBlobStore } from '../packages/storage/src/index.ts';
import { createEncryptedBlobStore, parseKeyring, generateKeyringValue } from '../packages/storage/src/crypto.ts';
import { createTempDatabase } from '../packages/testing/src/postgres.ts';
import { purgeExpired } from '../apps/worker/src/lib/retention.ts';

const { values: args } = parseArgs({
  options: { records: { type: 'string', default: '1000' }, batch: { type: 'string', default: '500' }, 'database-url': { type: 'string' } },
});
const n = Number(args.records);
const batchSize = Number(args.batch);
const dir = await mkdtemp(join(tmpdir(), 'bench-retention-'));
const temp = args['database-url'] ? await createTempDatabase({ baseUrl: args['database-url'] }) : undefined;
const db = await openDatabase(temp ? { url: temp.url } : {});
try {
  const repos = createRepositories(db.prisma);
  const blobs = createEncryptedBlobStore(createFileBlobStore(join(dir, 'blobs')), parseKeyring(generateKeyringValue('bench')));
  const tenantId = (await repos.tenants.create({ name: 'bench' })).tenant.id;
  const old = new Date(Date.now() - 40 * 86_400_000);
  const vector = embeddingToBytes(Float32Array.from({ length: 512 }, () => Math.random()));
  const image = randomBytes(30_000);
  const setupStarted = performance.now();
  const imageRows = [];
  for (let i = 0; i < n; i++) {
    const stored = await blobs.put(tenantId, image);
    const id = randomUUID();
    imageRows.push({ id, tenantId, kind: 'image' as const, contentType: 'image/jpeg', byteSize: stored.byteSize, sha256: stored.sha256, storageKey: stored.storageKey, createdAt: old });
    const crop = await blobs.put(tenantId, image.subarray(0, 5_000));
    imageRows.push({ id: randomUUID(), tenantId, kind: 'crop' as const, contentType: 'image/jpeg', byteSize: crop.byteSize, sha256: crop.sha256, storageKey: crop.storageKey, parentBlobId: id, createdAt: old });
  }
  await db.prisma.blob.createMany({ data: imageRows });
  await db.prisma.enrollment.createMany({ data: Array.from({ length: n }, () => ({ id: randomUUID(), tenantId, embedding: vector, modelVersion: 'v', createdAt: old, updatedAt: old })) });
  await db.prisma.registration.createMany({ data: Array.from({ length: n }, () => ({ tenantId, documentNumber: '11144477735', status: 'authentic', imageBlobId: randomUUID(), embedding: vector, modelVersion: 'v', createdAt: old })) });
  await db.prisma.validation.createMany({ data: Array.from({ length: n }, () => ({ tenantId, documentNumber: '11144477735', imageBlobId: randomUUID(), registrationId: randomUUID(), similarity: 0.9, similarityRatio: 90, result: 'match' as const, createdAt: old })) });
  await db.prisma.job.createMany({ data: Array.from({ length: n }, () => ({ id: randomUUID(), tenantId, name: 'face.detect', status: 'completed' as const, input: { imageBlobId: randomUUID() }, result: { status: 200, body: { total_faces: 1 } }, createdAt: old, finishedAt: old })) });
  const setupMs = performance.now() - setupStarted;

  const log = createLogger({ name: 'bench', level: 'silent' });
  const started = performance.now();
  const { counts } = await purgeExpired({ db, repos, blobs, log }, { retentionDays: 30, batchSize });
  const ms = performance.now() - started;
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  console.log(JSON.stringify({ database: db.kind, recordsPerKind: n, batchSize, setupMs: Math.round(setupMs), counts }));
  console.log(
    `purged ${total} records (${counts.images + counts.crops} files) in ${(ms / 1000).toFixed(2)} s: ` +
      `${Math.round(total / (ms / 1000))} records/s, ${Math.round((counts.images + counts.crops) / (ms / 1000))} files/s ` +
      `(load average ${loadavg()[0]!.toFixed(1)})`,
  );
} finally {
  await db.close();
  await temp?.drop();
  await rm(dir, { recursive: true, force: true });
}
