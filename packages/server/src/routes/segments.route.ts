import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { compileFilterText } from '@outdial/core/contacts/filter/filter-typecheck';
import { SegmentQueries } from '@outdial/store/filter/segment-queries';
import { ContactImportRepository } from '@outdial/store/repositories/contact-import.repository';
import type { RouteDeps } from '../deps.ts';
import { OutdialError } from '../errors.ts';

const PreviewSchema = Type.Object({
  filter: Type.String({ maxLength: 10_000 }),
  listIds: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })),
  campaignId: Type.Optional(Type.String()),
});
type PreviewBody = { filter: string; listIds?: string[]; campaignId?: string };

/**
 * Segmentation: how many contacts a filter selects, before a campaign saves it. The filter is parsed and
 * type-checked against the contact fields and the lists' typed attributes, then run as SQL with bound parameters.
 * A bad filter answers 400 with the message and the column of the problem.
 */
const segmentRoutes: FastifyPluginAsync<RouteDeps> = async (app, deps) => {
  const segments = new SegmentQueries(deps.store.db);

  app.post<{ Body: PreviewBody }>('/api/v1/segments/preview', {
    config: { roles: ['admin', 'supervisor'] },
    schema: {
      tags: ['campaigns'], summary: 'Count the contacts a filter selects (in the given lists, or the campaign\'s lists, or all lists)',
      body: PreviewSchema,
      response: { 200: Type.Object({ count: Type.Integer(), total: Type.Integer(), attributes: Type.Record(Type.String(), Type.String()) }) },
    },
  }, async (request) => {
    let listIds: string[] | null = request.body.listIds ?? null;
    if (request.body.campaignId !== undefined) {
      listIds = await new ContactImportRepository(deps.store.db).campaignListIds(request.body.campaignId);
    }
    const attributes = await segments.attributeTypes(listIds);
    const text = request.body.filter.trim();
    if (text === '') return { count: await segments.count(null, listIds), total: await segments.count(null, listIds), attributes };
    const typed = compileFilterText(text, { attributes, now: deps.clock.now() });
    if (!typed.ok) {
      throw new OutdialError('OUTDIAL_ERR_VALIDATION', `filter, column ${typed.problem.column}: ${typed.problem.message}`, typed.problem);
    }
    const [count, total] = await Promise.all([segments.count(typed.value, listIds), segments.count(null, listIds)]);
    return { count, total, attributes };
  });
};

export default segmentRoutes;
