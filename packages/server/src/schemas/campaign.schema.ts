import { Type } from '@sinclair/typebox';

const Outcome = Type.Union(
  ['answered', 'abandoned', 'machine', 'voicemail', 'amd_hangup', 'no_answer', 'busy', 'unavailable', 'rejected', 'invalid',
    'blocked', 'congestion', 'failed', 'cancelled', 'interrupted'].map((o) => Type.Literal(o)),
);

export const DispositionSchema = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 60 }),
  label: Type.String({ minLength: 1, maxLength: 120 }),
  action: Type.Union([Type.Literal('final'), Type.Literal('retry'), Type.Literal('dnc'), Type.Literal('callback')]),
  retryAfterMinutes: Type.Optional(Type.Integer({ minimum: 0 })),
  sale: Type.Optional(Type.Boolean()),
  /** An answering machine, not a person: the attempt leaves the live answers of abandonment rates. */
  machine: Type.Optional(Type.Boolean()),
});

export const RetryRuleSchema = Type.Object({
  outcome: Outcome,
  action: Type.Union([Type.Literal('retry'), Type.Literal('final')]),
  delayMinutes: Type.Integer({ minimum: 0 }),
});

const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });

/** Every campaign setting (CampaignSettings in @outdial/core/campaign/types) except id and status. */
export const CampaignInputSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  purpose: Type.Union([Type.Literal('telemarketing'), Type.Literal('debt_collection'), Type.Literal('informational'), Type.Literal('survey')]),
  seller: Type.String({ minLength: 1 }),
  subject: Type.String({ minLength: 1 }),
  dialMode: Type.Union([Type.Literal('predictive'), Type.Literal('progressive'), Type.Literal('preview')]),
  pacingPolicy: Type.String({ minLength: 1 }),
  abandonTarget: Type.Number({ minimum: 0, maximum: 0.03 }),
  regime: Type.Union([Type.Literal('us30d'), Type.Literal('uk24h')]),
  callerId: Type.String(),
  scriptTemplate: Type.String(),
  dispositions: Type.Array(DispositionSchema, { minItems: 1 }),
  retryRules: Type.Array(RetryRuleSchema),
  maxAttempts: Type.Integer({ minimum: 1, maximum: 100 }),
  callingWindow: Type.Union([
    Type.Object({ start: Hhmm, end: Hhmm, days: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }))) }),
    Type.Null(),
  ]),
  abandonMessagePromptId: Type.Union([Type.String(), Type.Null()]),
  ringTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 120 }),
  amd: Type.Boolean(),
  prerecorded: Type.Boolean(),
  training: Type.Boolean(),
  filter: Type.Union([Type.String(), Type.Null()]),
  listIds: Type.Array(Type.String()),
});

export const CampaignSchema = Type.Intersect([
  Type.Object({ id: Type.String(), status: Type.Union([Type.Literal('draft'), Type.Literal('running'), Type.Literal('paused'), Type.Literal('stopped')]) }),
  CampaignInputSchema,
]);

export const CampaignPatchSchema = Type.Partial(CampaignInputSchema);
