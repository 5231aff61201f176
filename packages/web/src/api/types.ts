/**
 * The API shapes the app reads. Server-side types are imported as types only (erased from the bundle), so a
 * change on the server breaks the web build instead of the screen.
 */
import type { AgentState, AgentView, CallView, CampaignFloorView, ContactView, FloorView } from '@outdial/server/runtime/dialer-runtime';
import type { StreamEvent } from '@outdial/server/events/event-bus';
import type { CampaignSettings, DispositionAction, DispositionDef } from '@outdial/core/campaign/types';
import type { ComplianceDecision, ReasonCategory } from '@outdial/core/compliance/types';

export type { AgentState, AgentView, CallView, CampaignFloorView, CampaignSettings, ComplianceDecision, ContactView, DispositionAction, DispositionDef, FloorView, ReasonCategory, StreamEvent };

export type Role = 'admin' | 'supervisor' | 'agent';

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  locale: string;
}

export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

export interface AgentCampaign {
  id: string;
  name: string;
  dialMode: string;
  scriptTemplate: string;
  training?: boolean;
  dispositions: Array<{ code: string; label: string; action: DispositionAction }>;
}

export interface AgentMe extends AgentView {
  campaigns: AgentCampaign[];
  pauseReasons: string[];
  /** Preview mode: the contact offered before dialing, when the server sends it. */
  preview?: { campaignId: string; contact: ContactView } | null;
}

/** A pending callback as the API lists it (`/api/v1/callbacks/mine`, `/api/v1/callbacks`). */
export interface CallbackItem {
  id: string;
  contactId: string;
  campaignId: string;
  campaignName: string;
  /** null = any agent of the campaign. */
  agentId: string | null;
  agentName: string | null;
  dueAt: number;
  createdAt: number;
  firstName: string | null;
  lastName: string | null;
  phone: string;
  timezone: string | null;
}

export interface CallbacksOverview {
  callbacks: CallbackItem[];
  /** The agents of each campaign a callback may be given to. */
  agents: Record<string, Array<{ id: string; name: string }>>;
}

export interface ListSummary {
  id: string;
  name: string;
  vendor: string | null;
  purchasedAt?: string | null;
  costCents?: number | null;
  consentBasis?: string | null;
  contacts?: number;
  createdAt?: number;
}

export interface ImportSummary {
  importId?: string;
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  rejectReasons?: Record<string, number> | Array<{ reason: string; count: number }>;
  rejectedUrl?: string;
}

export interface DncEntry {
  id: string;
  kind: string;
  phone: string;
  region?: string | null;
  addedAt?: number;
  addedBy?: string | null;
  reason?: string | null;
}

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  locale: string;
  disabled: boolean;
  campaignIds: string[];
}
