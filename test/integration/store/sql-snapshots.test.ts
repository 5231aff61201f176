import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgresQueryCompiler, SqliteQueryCompiler } from 'kysely';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryCompiler, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '@outdial/store/database';
import { AttemptsRepository } from '@outdial/store/repositories/attempts.repository';
import { AuditRepository } from '@outdial/store/repositories/audit.repository';
import { CallbacksRepository, notHeldForAnAgent } from '@outdial/store/repositories/callbacks.repository';
import { CampaignsRepository } from '@outdial/store/repositories/campaigns.repository';
import { ConsentsRepository } from '@outdial/store/repositories/consents.repository';
import { ContactsRepository } from '@outdial/store/repositories/contacts.repository';
import { DispositionsRepository } from '@outdial/store/repositories/dispositions.repository';
import { DncRepository } from '@outdial/store/repositories/dnc.repository';
import { EventsRepository } from '@outdial/store/repositories/events.repository';
import { ListsRepository } from '@outdial/store/repositories/lists.repository';
import { SessionsRepository } from '@outdial/store/repositories/sessions.repository';
import { UsersRepository } from '@outdial/store/repositories/users.repository';
import { openTestStore, postgresAdminUrl, postgresAvailable, sampleCampaign } from '../../support/store-fixtures.ts';
import type { TestDialect, TestStore } from '../../support/store-fixtures.ts';
import { skipUnless } from '../../support/require.ts';

/**
 * The SQL each repository method runs, per dialect, committed under packages/store/queries/ so a reviewer sees the
 * exact statements a change produces (Immich practice). After an intended change, regenerate with
 *   OUTDIAL_UPDATE_SQL=1 npx vitest run test/integration/store/sql-snapshots.test.ts
 */
const QUERIES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../packages/store/queries');
const UPDATE = process.env['OUTDIAL_UPDATE_SQL'] === '1';
const NOW = 1_700_000_000_000;

/**
 * Records the compiled SQL of every executed query, under the label of the repository method running it. Kysely
 * runs plugins on subqueries too, so a statement counts only once its result comes back.
 */
class SqlRecorder implements KyselyPlugin {
  label = '';
  readonly byLabel = new Map<string, string[]>();
  private readonly compiled = new WeakMap<object, string>();

  constructor(private readonly compiler: QueryCompiler) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.compiled.set(args.queryId, this.compiler.compileQuery(args.node, args.queryId).sql);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const text = this.compiled.get(args.queryId);
    if (text !== undefined) {
      const list = this.byLabel.get(this.label) ?? [];
      if (!list.includes(text)) list.push(text);
      this.byLabel.set(this.label, list);
    }
    return Promise.resolve(args.result);
  }
}

/** Calls the main repository methods once each, in an order where each finds what it needs. */
async function scenario(db: Db, recorder: SqlRecorder): Promise<void> {
  async function run<T>(label: string, call: () => Promise<T>): Promise<T> {
    recorder.label = label;
    try {
      return await call();
    } finally {
      recorder.label = '';
    }
  }
  const users = new UsersRepository(db, { cost: 1024 });
  const sessions = new SessionsRepository(db);
  const lists = new ListsRepository(db);
  const campaigns = new CampaignsRepository(db);
  const contacts = new ContactsRepository(db);
  const attempts = new AttemptsRepository(db);
  const dispositions = new DispositionsRepository(db);
  const callbacks = new CallbacksRepository(db);
  const dnc = new DncRepository(db);
  const consents = new ConsentsRepository(db);
  const audit = new AuditRepository(db);
  const events = new EventsRepository(db);

  const user = await run('users.create', () => users.create({ username: 'sue', displayName: 'Sue', role: 'supervisor', password: 'pw-pw-pw', now: NOW }));
  if (!user.ok) throw new Error(user.message);
  await run('users.verifyPassword', () => users.verifyPassword('sue', 'pw-pw-pw'));
  await run('users.list', () => users.list({ role: 'agent', includeDisabled: false }));
  await run('users.setRole', () => users.setRole(user.value.id, 'admin'));
  await run('users.setDisabled', () => users.setDisabled(user.value.id, false));
  const session = await run('sessions.create', () => sessions.create({ userId: user.value.id, now: NOW, ttlMs: 1000 }));
  await run('sessions.findValid', () => sessions.findValid(session.id, NOW));
  await run('sessions.purgeExpired', () => sessions.purgeExpired(NOW));

  const list = await run('lists.create', () => lists.create({ name: 'snap', now: NOW }));
  if (!list.ok) throw new Error(list.message);
  await run('lists.update', () => lists.update(list.value.id, { vendor: 'v', columnMapping: { Phone: 'phone' } }));
  const campaign = await run('campaigns.create', () => campaigns.create(sampleCampaign({ name: 'snap', listIds: [list.value.id] })));
  if (!campaign.ok) throw new Error(campaign.message);
  const campaignId = campaign.value.id;
  await run('campaigns.update', () => campaigns.update(campaignId, { maxAttempts: 4, listIds: [list.value.id] }, NOW));
  await run('campaigns.list', () => campaigns.list({ statuses: ['running', 'paused'] }));
  await run('campaigns.assignAgent', () => campaigns.assignAgent(campaignId, user.value.id));
  await run('campaigns.listForAgent', () => campaigns.listForAgent(user.value.id));
  await run('campaigns.acquireLease', () => campaigns.acquireLease(campaignId, 'node-a', NOW, 1000));
  await run('campaigns.renewLease', () => campaigns.renewLease(campaignId, 'node-a', NOW, 1000));
  await run('campaigns.releaseLease', () => campaigns.releaseLease(campaignId, 'node-a'));

  await run('contacts.insertMany', () => contacts.insertMany([{ listId: list.value.id, phone: '+12125550100' }], NOW));
  const claimed = await run('contacts.claimDialable', () =>
    contacts.claimDialable({ campaignId, nodeId: 'node-a', now: NOW, limit: 10, leaseMs: 1000, maxAttempts: 3 }));
  const contactId = claimed[0]?.id ?? 'none';
  await run('contacts.countDialable', () => contacts.countDialable({ campaignId, listIds: [list.value.id], now: NOW, maxAttempts: 3 }));
  await run('contacts.extendClaims', () => contacts.extendClaims([contactId], 'node-a', NOW, 1000));
  await run('contacts.releaseClaim', () => contacts.releaseClaim([contactId], 'node-a'));
  await run('contacts.claimForAgentDial', () => contacts.claimForAgentDial(contactId, 'node-a', NOW, 1000));
  await run('contacts.releaseClaim', () => contacts.releaseClaim([contactId], 'node-a'));
  await run('contacts.updateAfterAttempt', () => contacts.updateAfterAttempt({
    contactId, status: 'dialable', nextDialAt: NOW, attempts: 1, lastOutcome: 'busy', lastAttemptAt: NOW,
  }));

  const attempt = await run('attempts.insert', () => attempts.insert({
    campaignId, contactId, phone: '+12125550100', attemptNo: 1, nodeId: 'node-a', dialedAt: NOW, decisionVerdict: 'allow', decision: {},
  }));
  if (!attempt.ok) throw new Error(attempt.message);
  await run('attempts.markAnswered', () => attempts.markAnswered(attempt.value.id, NOW, { verdict: 'human', ms: 900 }));
  await run('attempts.markConnected', () => attempts.markConnected(attempt.value.id, NOW, user.value.id));
  await run('attempts.markEnded', () => attempts.markEnded(attempt.value.id, { at: NOW, outcome: 'answered', sipCode: 200 }));
  await run('attempts.markMachineByAgent', () => attempts.markMachineByAgent(attempt.value.id));
  await run('attempts.setRecording', () => attempts.setRecording(attempt.value.id, '/var/lib/outdial/recordings/a.wav', 61_500));
  await run('attempts.reconcileOpen', () => attempts.reconcileOpen({ nodeId: 'node-a', now: NOW }));
  await run('attempts.historyForPhone', () => attempts.historyForPhone('+12125550100', NOW - 1000));
  await run('attempts.windowCounts', () => attempts.windowCounts(campaignId, NOW - 1000, NOW + 1000));
  await run('attempts.list', () => attempts.list({ campaignId, since: NOW - 1000, limit: 10 }));

  await run('dispositions.insert', () => dispositions.insert({ attemptId: attempt.value.id, contactId, campaignId, code: 'SALE', now: NOW }));
  const callback = await run('callbacks.create', () => callbacks.create({ contactId, campaignId, agentId: user.value.id, dueAt: NOW, now: NOW }));
  await run('callbacks.due', () => callbacks.due({ campaignId, now: NOW, agentId: user.value.id }));
  await run('callbacks.get', () => callbacks.get(callback.id));
  await run('callbacks.heldForAnAgent', () => callbacks.heldForAnAgent([contactId]));
  // The pooled claim leaves contacts held by a personal callback to `claimDuePersonal`.
  await run('contacts.claimDialable', () => contacts.claimDialable({
    campaignId, nodeId: 'node-a', now: NOW, limit: 10, leaseMs: 1000, maxAttempts: 3, segment: notHeldForAnAgent(),
  }));
  await run('callbacks.claimDuePersonal', () => callbacks.claimDuePersonal({ campaignId, nodeId: 'node-a', now: NOW, leaseMs: 1000, maxAttempts: 3, limit: 10 }));
  await run('callbacks.listPending', () => callbacks.listPending({ campaignIds: [campaignId], agentId: user.value.id }));
  await run('callbacks.listPending', () => callbacks.listPending({ campaignIds: [campaignId] }));
  await run('callbacks.getMany', () => callbacks.getMany([callback.id]));
  await run('callbacks.reassign', () => callbacks.reassign(callback.id, null));
  await run('callbacks.pendingForContact', () => callbacks.pendingForContact(contactId));
  await run('callbacks.completeDue', () => callbacks.completeDue(contactId, NOW));
  await run('callbacks.reopen', () => callbacks.reopen([callback.id]));
  await run('callbacks.postpone', () => callbacks.postpone(callback.id, NOW + 1000));
  await run('callbacks.complete', () => callbacks.complete(callback.id));
  await run('callbacks.cancel', () => callbacks.cancel(callback.id));
  await run('callbacks.cancelForContact', () => callbacks.cancelForContact(contactId));
  const entry = await run('dnc.add', () => dnc.add({ kind: 'internal', region: 'Acme', phone: '+12125550100', by: null, reason: 'asked', now: NOW }));
  await run('dnc.findActive', () => dnc.findActive(['+12125550100'], ['internal', 'state']));
  await run('dnc.search', () => dnc.search({ phonePrefix: '+1212', limit: 10 }));
  await run('dnc.remove', () => dnc.remove(entry.record.id, { by: null, reason: 'mistake', now: NOW }));
  await run('dnc.upsertSync', () => dnc.upsertSync({ kind: 'national', scope: '212', syncedAt: '2026-11-01', numbers: 1, updatedAt: NOW }));
  await run('consents.add', () => consents.add({ phone: '+12125550100', seller: 'Acme', kind: 'written', scope: 'all', givenAt: NOW }));
  await run('consents.forPhone', () => consents.forPhone('+12125550100', 'Acme'));
  await run('audit.append', () => audit.append({ at: NOW, userId: null, action: 'x', target: null, detail: null }));
  await run('audit.list', () => audit.list({ userId: 'u', limit: 10 }));
  await run('events.append', () => events.append({ at: NOW, type: 't', campaignId: null, payload: {} }));
  await run('events.since', () => events.since(0, 100));
  await run('events.pruneOlderThan', () => events.pruneOlderThan(NOW));
}

function render(byLabel: Map<string, string[]>, repository: string): string {
  const lines = [`-- Generated by test/integration/store/sql-snapshots.test.ts. Do not edit; regenerate with OUTDIAL_UPDATE_SQL=1.`];
  for (const [label, statements] of byLabel) {
    if (!label.startsWith(`${repository}.`)) continue;
    lines.push('', `-- ${label}`, ...statements.map((s) => `${s};`));
  }
  return `${lines.join('\n')}\n`;
}

const SNAPSHOT_DIALECTS: Array<{ kind: TestDialect; name: 'sqlite' | 'postgres'; compiler: QueryCompiler }> = [
  { kind: 'sqlite-memory', name: 'sqlite', compiler: new SqliteQueryCompiler() },
  { kind: 'postgres', name: 'postgres', compiler: new PostgresQueryCompiler() },
];

for (const { kind, name, compiler } of SNAPSHOT_DIALECTS) {
  const skip = kind === 'postgres' && skipUnless(postgresAvailable, `PostgreSQL at ${postgresAdminUrl}`);
  describe.skipIf(skip)(`SQL snapshots [${name}]`, () => {
    let store: TestStore | undefined;
    afterAll(async () => {
      await store?.close();
    });

    it(`matches packages/store/queries/*.${name}.sql`, async () => {
      store = await openTestStore(kind);
      const recorder = new SqlRecorder(compiler);
      await scenario(store.db.withPlugin(recorder), recorder);
      expect(recorder.byLabel.has('')).toBe(false);
      const repositories = [...new Set([...recorder.byLabel.keys()].map((label) => label.split('.')[0] ?? ''))].sort();
      if (UPDATE) mkdirSync(QUERIES_DIR, { recursive: true });
      for (const repository of repositories) {
        const file = join(QUERIES_DIR, `${repository}.repository.${name}.sql`);
        const text = render(recorder.byLabel, repository);
        if (UPDATE) writeFileSync(file, text);
        else {
          expect(existsSync(file), `${file} is missing: run with OUTDIAL_UPDATE_SQL=1`).toBe(true);
          expect(text, `SQL of ${repository} changed: review, then run with OUTDIAL_UPDATE_SQL=1`).toBe(readFileSync(file, 'utf8'));
        }
      }
    });
  });
}
