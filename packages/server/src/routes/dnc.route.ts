import { createWriteStream, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { DncListsRepository } from '@outdial/store/repositories/contact-import-dnc.repository';
import { dataDirFor, nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { DncLists, isoDay } from '@outdial/contacts/dnc/dnc-lists';
import { RegistryFormatError } from '@outdial/contacts/dnc/registry-file-parser';
import { PhoneNormaliser } from '@outdial/contacts/phone/phone-normaliser';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import { AuditRecorder } from '../audit.ts';

const HitSchema = Type.Object({ kind: Type.String(), region: Type.Union([Type.String(), Type.Null()]), syncedAt: Type.Union([Type.String(), Type.Null()]) });
const EntrySchema = Type.Object({
  id: Type.String(), kind: Type.String(), region: Type.Union([Type.String(), Type.Null()]), phone: Type.String(), addedAt: Type.Number(),
  addedBy: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]),
});
const ChangeSchema = Type.Object({
  phone: Type.String({ minLength: 3, maxLength: 40 }),
  reason: Type.String({ minLength: 1, maxLength: 500 }),
  kind: Type.Optional(Type.Union([Type.Literal('internal'), Type.Literal('state'), Type.Literal('tps'), Type.Literal('litigator')])),
  region: Type.Optional(Type.Union([Type.String({ pattern: '^[A-Z]{2}$' }), Type.Null()])),
  country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })),
});
type ChangeBody = { phone: string; reason: string; kind?: 'internal' | 'state' | 'tps' | 'litigator'; region?: string | null; country?: string };

/**
 * Do-not-call lists over HTTP: which lists hold a number (national registry included), the store's entries, and
 * adding or removing an internal (or state/TPS/litigator) entry, always with a reason and recorded in the audit log.
 */
const dncRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const path = nationalRegistryPath(deps.config.dataDir || dataDirFor(deps.config.db, process.env));
  let cached: { lists: DncLists; mtimeMs: number } | undefined;
  // The registry file is rewritten by `outdial dnc load`: reload it when it changes.
  const dncLists = (): DncLists => {
    let mtimeMs = 0;
    try { mtimeMs = statSync(path).mtimeMs; } catch { mtimeMs = 0; }
    if (cached === undefined || cached.mtimeMs !== mtimeMs) cached = { lists: DncLists.open(deps.store.db, path), mtimeMs };
    return cached.lists;
  };
  const repo = new DncListsRepository(deps.store.db);
  const audit = new AuditRecorder(deps);
  const normalise = (phone: string, country = 'US'): string => {
    const result = new PhoneNormaliser(country).normalise(phone);
    if (!result.ok) throw new OutdialError('OUTDIAL_ERR_VALIDATION', result.detail);
    return result.e164;
  };

  app.get<{ Querystring: { phone: string; country?: string } }>('/api/v1/dnc/check', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['dnc'], summary: 'Which do-not-call lists hold a number, and since when',
      querystring: Type.Object({ phone: Type.String({ minLength: 1, maxLength: 40 }), country: Type.Optional(Type.String({ pattern: '^[A-Z]{2}$' })) }),
      response: { 200: Type.Object({ phone: Type.String(), lists: Type.Array(HitSchema) }) },
    },
  }, async (request) => {
    const phone = normalise(request.query.phone, request.query.country);
    const hits = await dncLists().check([phone]);
    return { phone, lists: hits.get(phone) ?? [] };
  });

  app.get<{ Querystring: { q: string; limit?: number } }>('/api/v1/dnc/entries', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['dnc'], summary: 'Search the stored entries (internal, state, TPS) by number prefix, newest first',
      querystring: Type.Object({ q: Type.String({ maxLength: 40 }), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
      response: { 200: Type.Array(EntrySchema) },
    },
  }, async (request) => {
    const digits = request.query.q.replace(/[^\d+]/g, '');
    const prefix = digits.startsWith('+') ? digits : digits.length >= 10 ? normalise(digits) : `+1${digits}`;
    return repo.search(prefix, request.query.limit ?? 100);
  });

  app.post<{ Body: ChangeBody }>('/api/v1/dnc', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['dnc'], summary: 'Add a number to a do-not-call list (default: internal) with a reason', body: ChangeSchema, response: { 200: Type.Object({ phone: Type.String(), added: Type.Integer() }) } },
  }, async (request) => {
    const kind = request.body.kind ?? 'internal';
    const phone = normalise(request.body.phone, request.body.country ?? (kind === 'tps' ? 'GB' : 'US'));
    if (kind === 'state' && !request.body.region) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'a state entry needs region');
    const added = await repo.add(kind, request.body.region ?? null, [phone], request.user?.id ?? null, request.body.reason, deps.clock.now());
    await audit.record(request.user?.id, 'dnc.add', `phone:${phone}`, { kind, region: request.body.region ?? null, reason: request.body.reason });
    return { phone, added };
  });

  app.post<{ Body: ChangeBody }>('/api/v1/dnc/remove', {
    config: { roles: ['admin'] },
    schema: { tags: ['dnc'], summary: 'Remove a number from a do-not-call list (default: internal) with a reason; the entry is kept as removed', body: ChangeSchema, response: { 200: Type.Object({ phone: Type.String(), removed: Type.Integer() }) } },
  }, async (request) => {
    const kind = request.body.kind ?? 'internal';
    const phone = normalise(request.body.phone, request.body.country ?? (kind === 'tps' ? 'GB' : 'US'));
    const removed = await repo.remove(kind, request.body.region ?? null, phone, request.user?.id ?? null, request.body.reason, deps.clock.now());
    if (removed === 0) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `${phone} on the ${kind} list`);
    await audit.record(request.user?.id, 'dnc.remove', `phone:${phone}`, { kind, region: request.body.region ?? null, reason: request.body.reason });
    return { phone, removed };
  });

  app.post('/api/v1/dnc/files', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['dnc'], consumes: ['multipart/form-data'],
      summary: 'Load a do-not-call file (multipart: file, kind national|state|internal|tps, region for a state list, syncedAt YYYY-MM-DD): the FTC per-area-code layout for national, one number a line for the others',
    },
  }, async (request) => {
    if (!request.isMultipart()) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'expected multipart/form-data with a "file" part');
    const dir = await mkdtemp(join(tmpdir(), 'outdial-dnc-'));
    try {
      const fields: Record<string, string> = {};
      let file: string | undefined;
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (file !== undefined) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'one file per upload');
          // Kept under the uploaded file's own name (without any path): reasons and error messages name it.
          file = join(dir, uploadName(part.filename));
          await pipeline(part.file, createWriteStream(file));
        } else {
          fields[part.fieldname] = String(part.value);
        }
      }
      if (file === undefined) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'no "file" part in the upload');
      const kind = fields['kind'] ?? '';
      if (!['national', 'state', 'internal', 'tps'].includes(kind)) throw new OutdialError('OUTDIAL_ERR_VALIDATION', `kind: expected national, state, internal or tps, got "${kind}"`);
      const region = fields['region']?.toUpperCase() || null;
      if (kind === 'state' && (region === null || !/^[A-Z]{2}$/.test(region))) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'region: a state list needs a two-letter state code');
      const now = deps.clock.now();
      const syncedAt = fields['syncedAt'] ?? isoDay(now);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(syncedAt) || Number.isNaN(Date.parse(syncedAt))) throw new OutdialError('OUTDIAL_ERR_VALIDATION', `syncedAt: expected YYYY-MM-DD, got "${syncedAt}"`);
      const lists = dncLists();
      try {
        const summary = kind === 'national'
          ? await lists.loadNational([file], syncedAt, now)
          : await lists.loadList(kind as 'state' | 'internal' | 'tps', region, [file], syncedAt, request.user?.id ?? null, now);
        await audit.record(request.user?.id, 'dnc.load', `dnc:${kind}`, { region, syncedAt, numbers: summary.numbers });
        return summary;
      } catch (error) {
        if (error instanceof RegistryFormatError) throw new OutdialError('OUTDIAL_ERR_IMPORT_INVALID', `${basename(error.file)}, line ${error.line}: ${error.problem}`);
        throw error;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.get('/api/v1/dnc/syncs', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['dnc'], summary: 'Sync date and size of every list (national: per area code)' },
  }, async () => repo.syncs());
};

export default dncRoutes;

/** A safe file name from the client's: its last path segment, ordinary characters only (".gz" kept: it decides decompression). */
function uploadName(filename: string | undefined): string {
  const base = basename((filename ?? '').replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return base === '' ? 'upload.txt' : base.slice(-120);
}
