import { Type } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const ContactViewSchema = Type.Object({
  id: Type.String(),
  phone: Type.String(),
  firstName: Nullable(Type.String()),
  lastName: Nullable(Type.String()),
  region: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  timezone: Nullable(Type.String()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
});

export const AgentViewSchema = Type.Object({
  agentId: Type.String(),
  username: Type.String(),
  displayName: Type.String(),
  state: Type.String(),
  since: Type.Number(),
  reason: Nullable(Type.String()),
  campaignIds: Type.Array(Type.String()),
  call: Type.Union([
    Type.Object({
      attemptId: Type.String(),
      campaignId: Type.String(),
      contact: ContactViewSchema,
      state: Type.String(),
      connectedAt: Type.Union([Type.Number(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  preview: Type.Optional(Type.Union([Type.Object({ campaignId: Type.String(), contact: ContactViewSchema }), Type.Null()])),
});

export const CampaignFloorSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.String(),
  dialMode: Type.String(),
  dialLevel: Type.Number(),
  abandonTarget: Type.Number(),
  abandonRate: Type.Number(),
  calls: Type.Integer(),
  answered: Type.Integer(),
  abandoned: Type.Integer(),
  ringing: Type.Integer(),
  waiting: Type.Integer(),
});

export const FloorSchema = Type.Object({ agents: Type.Array(AgentViewSchema), campaigns: Type.Array(CampaignFloorSchema) });
