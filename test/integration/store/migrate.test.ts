import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '@outdial/store/database';
import { TEST_DIALECTS, openTestStore, postgresAdminUrl, postgresAvailable } from '../../support/store-fixtures.ts';
import type { TestStore } from '../../support/store-fixtures.ts';
import { skipUnless } from '../../support/require.ts';

for (const kind of TEST_DIALECTS) {
  const skip = kind === 'postgres' && skipUnless(postgresAvailable, `PostgreSQL at ${postgresAdminUrl}`);
  describe.skipIf(skip)(`migrate [${kind}]`, () => {
    const opened: TestStore[] = [];
    afterAll(async () => {
      for (const store of opened) await store.close();
    });

    it('applies every migration once, then nothing on a second run', async () => {
      const store = await openTestStore(kind, { migrated: false });
      opened.push(store);
      const first = await migrate(store.db);
      expect(first.slice(0, 2)).toEqual(['0001-initial', '0002-claim-and-lookup-indexes']);
      expect(await migrate(store.db)).toEqual([]);
      const tables = await store.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'campaigns', 'contacts', 'attempts', 'events']));
    });
  });
}
