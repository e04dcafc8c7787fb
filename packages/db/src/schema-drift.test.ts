// The migrations are hand-written: this test reads prisma/schema.prisma and checks that the migrated
// database has exactly its tables, columns (type, nullability, precision) and the constraint and index
// names Prisma would create, so the schema and the SQL cannot drift apart unnoticed.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate.ts';

const SCHEMA = fileURLToPath(new URL('../../../prisma/schema.prisma', import.meta.url));

interface Column { table: string; column: string; type: string; nullable: boolean }
interface Parsed { columns: Column[]; indexes: string[]; foreignKeys: string[]; enums: Record<string, string[]> }

const SCALAR_TYPES: Record<string, string> = {
  String: 'text', Int: 'integer', Float: 'double precision', Boolean: 'boolean', Json: 'jsonb', Bytes: 'bytea', DateTime: 'timestamp(3)',
};
const NATIVE_TYPES: Record<string, string> = { '@db.Json': 'json', '@db.Timestamptz(3)': 'timestamptz(3)', '@db.Uuid': 'uuid' };

/** Just enough of the Prisma schema language for this repository's schema. */
function parseSchema(text: string): Parsed {
  const lines = text.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim());
  const enums: Record<string, string[]> = {};
  const models = new Set<string>();
  for (const l of lines) {
    const m = /^(model|enum)\s+(\w+)\s*\{/.exec(l);
    if (m?.[1] === 'model') models.add(m[2]!);
  }
  const out: Parsed = { columns: [], indexes: [], foreignKeys: [], enums };
  let block: { kind: string; name: string } | null = null;
  for (const l of lines) {
    const open = /^(model|enum)\s+(\w+)\s*\{/.exec(l);
    if (open) {
      block = { kind: open[1]!, name: open[2]! };
      if (block.kind === 'enum') enums[block.name] = [];
      continue;
    }
    if (l === '}') { block = null; continue; }
    if (!block || !l) continue;
    if (block.kind === 'enum') { enums[block.name]!.push(l); continue; }
    const table = block.name;
    const blockAttr = /^@@(index|unique|id)\(\[([^\]]+)\]/.exec(l);
    if (blockAttr) {
      const cols = blockAttr[2]!.split(',').map((c) => c.trim()).join('_');
      out.indexes.push(blockAttr[1] === 'index' ? `${table}_${cols}_idx` : blockAttr[1] === 'unique' ? `${table}_${cols}_key` : `${table}_pkey`);
      continue;
    }
    const field = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(l);
    if (!field) continue;
    const [, name, type, list, optional, attrs] = field as unknown as [string, string, string, string | undefined, string | undefined, string];
    if (models.has(type!)) {
      const fk = /@relation\([^)]*fields:\s*\[(\w+)\]/.exec(attrs);
      if (fk) out.foreignKeys.push(`${table}_${fk[1]}_fkey`);
      continue;
    }
    if (list) continue;
    const native = Object.keys(NATIVE_TYPES).find((n) => attrs.includes(n));
    const sqlType = native ? NATIVE_TYPES[native]! : enums[type!] ? `enum ${type}` : SCALAR_TYPES[type!];
    if (!sqlType) throw new Error(`unmapped Prisma type ${type}`);
    out.columns.push({ table, column: name!, type: sqlType, nullable: optional === '?' });
    if (/@id\b/.test(attrs)) out.indexes.push(`${table}_pkey`);
    if (/@unique\b/.test(attrs)) out.indexes.push(`${table}_${name}_key`);
  }
  return out;
}

function pgType(r: { data_type: string; udt_name: string; datetime_precision: number | null }): string {
  if (r.data_type === 'USER-DEFINED') return `enum ${r.udt_name}`;
  if (r.data_type === 'timestamp with time zone') return `timestamptz(${r.datetime_precision})`;
  if (r.data_type === 'timestamp without time zone') return `timestamp(${r.datetime_precision})`;
  return r.data_type;
}

describe('hand-written migrations match prisma/schema.prisma', () => {
  let lite: PGlite;
  let expected: Parsed;
  beforeAll(async () => {
    expected = parseSchema(await readFile(SCHEMA, 'utf8'));
    lite = new PGlite();
    await migrate({
      query: async <T>(sql: string, params?: unknown[]) => (await lite.query<T>(sql, params)).rows,
      exec: async (sql: string) => void (await lite.exec(sql)),
    });
  });
  afterAll(async () => {
    await lite?.close();
  });

  it('parses the schema it checks', () => {
    expect(expected.columns.length).toBeGreaterThan(50);
    expect(expected.columns).toContainEqual({ table: 'Job', column: 'finishedAt', type: 'timestamptz(3)', nullable: true });
    expect(expected.indexes).toContain('Job_tenantId_idempotencyKey_key');
  });

  it('has every column with its type and nullability, and no other', async () => {
    const rows = await lite.query<{ table_name: string; column_name: string; data_type: string; udt_name: string; datetime_precision: number | null; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, udt_name, datetime_precision, is_nullable FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
    );
    const actual = rows.rows.map((r) => ({ table: r.table_name, column: r.column_name, type: pgType(r), nullable: r.is_nullable === 'YES' }));
    const key = (c: Column) => `${c.table}.${c.column}`;
    expect([...actual].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected.columns].sort((a, b) => key(a).localeCompare(key(b))));
  });

  it('has the enums, indexes and foreign keys Prisma would name', async () => {
    const enums = await lite.query<{ name: string; labels: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    expect(Object.fromEntries(enums.rows.map((r) => [r.name, r.labels]))).toEqual(expected.enums);
    const indexes = await lite.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    expect(indexes.rows.map((r) => r.indexname).sort()).toEqual([...expected.indexes].sort());
    const fks = await lite.query<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE contype = 'f'`);
    expect(fks.rows.map((r) => r.conname).sort()).toEqual([...expected.foreignKeys].sort());
  });
});
