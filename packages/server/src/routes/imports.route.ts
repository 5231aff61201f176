import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { ContactImportRepository } from '@outdial/store/repositories/contact-import.repository';
import { ListQualityRepository } from '@outdial/store/repositories/contact-import-quality.repository';
import { dataDirFor, nationalRegistryPath } from '@outdial/contacts/dnc/data-dir';
import { DncLists } from '@outdial/contacts/dnc/dnc-lists';
import { importContacts, ImportInputError } from '@outdial/contacts/import/import-pipeline';
import { exportAttemptsCsv, exportContactsCsv } from '@outdial/contacts/export/contacts-export';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';
import { AuditRecorder } from '../audit.ts';

const SummarySchema = Type.Object({
  importId: Type.String(),
  listId: Type.String(),
  rows: Type.Integer(),
  imported: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Integer(),
  rejectReasons: Type.Record(Type.String(), Type.Integer()),
  dncFlagged: Type.Integer(),
  seconds: Type.Number(),
});

/**
 * Contact import over HTTP (the same pipeline as `outdial import`): a multipart upload with the file and optional
 * `map` fields (CSVCOL=field, repeatable), `type` fields (name=type) and `campaign`; progress goes out on the event
 * stream as `import.progress`, the summary is the response. Also CSV exports of contacts and attempts.
 */
function rejectsDir(dataDir: string): string {
  return join(dataDir, 'imports');
}

function rejectsPath(dataDir: string, importId: string): string {
  return join(rejectsDir(dataDir), `${importId}.rejected.csv`);
}

const importRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const lists = new ListsRepository(deps.store.db);
  const audit = new AuditRecorder(deps);

  app.post<{ Params: { id: string } }>('/api/v1/lists/:id/imports', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['lists'], summary: 'Import a CSV (or .csv.gz) of contacts into the list (multipart: file, map*, type*, campaign)',
      consumes: ['multipart/form-data'], params: Type.Object({ id: Type.String() }), response: { 200: SummarySchema },
    },
  }, async (request) => {
    const list = await lists.get(request.params.id);
    if (!list) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `list ${request.params.id}`);
    if (!request.isMultipart()) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'expected multipart/form-data with a "file" part');
    const dir = await mkdtemp(join(tmpdir(), 'outdial-upload-'));
    try {
      const mappings: string[] = [];
      const types: string[] = [];
      let campaign: string | undefined;
      let file: string | undefined;
      let fileName = 'upload.csv';
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (file !== undefined) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'one file per import');
          fileName = part.filename || fileName;
          file = join(dir, 'upload');
          await pipeline(part.file, createWriteStream(file));
          if (part.file.truncated) throw new OutdialError('OUTDIAL_ERR_IMPORT_INVALID', 'the file is larger than the upload limit');
        } else {
          const value = String(part.value);
          if (part.fieldname === 'map') mappings.push(value);
          else if (part.fieldname === 'type') types.push(value);
          else if (part.fieldname === 'campaign') campaign = value;
        }
      }
      if (file === undefined) throw new OutdialError('OUTDIAL_ERR_VALIDATION', 'no "file" part in the upload');
      const dataDir = deps.config.dataDir || dataDirFor(deps.config.db, process.env);
      const dnc = DncLists.open(deps.store.db, nationalRegistryPath(dataDir));
      const rejectsFile = join(dir, 'rejected.csv');
      let lastPublished = 0;
      try {
        const summary = await importContacts({
          db: deps.store.db, file, fileName, listId: list.id, campaignName: campaign, mappings, types, dnc, now: () => deps.clock.now(), storeUrl: deps.config.db,
          rejectsFile,
          onProgress: (event) => {
            const now = deps.clock.now();
            if (now - lastPublished < 500) return;
            lastPublished = now;
            void deps.events.publish('import.progress', { listId: list.id, ...event });
          },
        });
        // The rejected rows, with their reasons, stay downloadable to fix and import again.
        await mkdir(rejectsDir(dataDir), { recursive: true });
        await rename(rejectsFile, rejectsPath(dataDir, summary.importId)).catch(() => copyFile(rejectsFile, rejectsPath(dataDir, summary.importId)));
        await deps.events.publish('import.done', { ...summary });
        await audit.record(request.user?.id, 'list.import', `list:${list.id}`, { importId: summary.importId, file: fileName, rows: summary.rows, imported: summary.imported });
        return summary;
      } catch (error) {
        if (error instanceof ImportInputError) throw new OutdialError('OUTDIAL_ERR_IMPORT_INVALID', error.message);
        throw error;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  app.get<{ Params: { id: string } }>('/api/v1/imports/:id/rejected', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['lists'], summary: 'The rejected rows of an import (CSV: the original columns, reason, detail)', params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9-]+$' }) }) },
  }, async (request, reply) => {
    const path = rejectsPath(deps.config.dataDir || dataDirFor(deps.config.db, process.env), request.params.id);
    if (!existsSync(path)) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `rejected rows of import ${request.params.id}`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="rejected-${request.params.id}.csv"`).send(createReadStream(path));
  });

  app.get<{ Params: { id: string } }>('/api/v1/imports/:id', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['lists'], summary: 'An import: status and counts (an interrupted one resumes when the same file is imported again)', params: Type.Object({ id: Type.String() }) },
  }, async (request) => {
    const record = await new ContactImportRepository(deps.store.db).get(request.params.id);
    if (!record) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `import ${request.params.id}`);
    return record;
  });

  app.get<{ Params: { id: string } }>('/api/v1/lists/:id/quality', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['lists'], summary: 'List-vendor quality: contact rate, conversions, do-not-call hits, invalid numbers, cost per sale',
      params: Type.Object({ id: Type.String() }),
    },
  }, async (request) => {
    const report = await new ListQualityRepository(deps.store.db).report(request.params.id);
    if (!report) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `list ${request.params.id}`);
    return report;
  });

  app.get<{ Params: { id: string } }>('/api/v1/lists/:id/export', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['lists'], summary: "The list's contacts as CSV (formula-like cells neutralised)", params: Type.Object({ id: Type.String() }) },
  }, async (request, reply) => {
    const list = await lists.get(request.params.id);
    if (!list) throw new OutdialError('OUTDIAL_ERR_NOT_FOUND', `list ${request.params.id}`);
    const body = new PassThrough();
    void exportContactsCsv(deps.store.db, list.id, body).then(() => body.end(), (error: unknown) => body.destroy(error as Error));
    await audit.record(request.user?.id, 'list.export', `list:${list.id}`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="list-${list.id}.csv"`).send(body);
  });

  app.get<{ Params: { id: string } }>('/api/v1/campaigns/:id/attempts/export', {
    config: { roles: ['admin', 'supervisor'] },
    schema: { tags: ['campaigns'], summary: "The campaign's call attempts as CSV (formula-like cells neutralised)", params: Type.Object({ id: Type.String() }) },
  }, async (request, reply) => {
    const body = new PassThrough();
    void exportAttemptsCsv(deps.store.db, request.params.id, body).then(() => body.end(), (error: unknown) => body.destroy(error as Error));
    await audit.record(request.user?.id, 'campaign.attempts.export', `campaign:${request.params.id}`);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="attempts-${request.params.id}.csv"`).send(body);
  });
};

export default importRoutes;
