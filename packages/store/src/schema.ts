import type { Generated } from 'kysely';

/**
 * The store's tables as Kysely sees them. Portable types only, so one migration set and one repository suite serve
 * SQLite and PostgreSQL alike: times are epoch milliseconds (bigint, read back as numbers), booleans are 0/1
 * integers, structured values are JSON text, ids are text.
 */

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: 'admin' | 'supervisor' | 'agent';
  password_hash: string;
  locale: string;
  disabled: number;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface CampaignsTable {
  id: string;
  name: string;
  status: 'draft' | 'running' | 'paused' | 'stopped';
  purpose: string;
  seller: string;
  subject: string;
  dial_mode: string;
  pacing_policy: string;
  abandon_target: number;
  regime: string;
  caller_id: string;
  script_template: string;
  dispositions_json: string;
  retry_rules_json: string;
  max_attempts: number;
  calling_window_json: string | null;
  abandon_message_prompt_id: string | null;
  ring_timeout_seconds: number;
  amd: number;
  prerecorded: number;
  training: number;
  filter: string | null;
  /** Scale-out: the node that runs the campaign now, and until when its lease holds. */
  owner_node: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface CampaignListsTable {
  campaign_id: string;
  list_id: string;
}

export interface CampaignAgentsTable {
  campaign_id: string;
  user_id: string;
}

export interface ListsTable {
  id: string;
  name: string;
  vendor: string | null;
  purchased_at: string | null;
  cost_cents: number | null;
  consent_basis: string | null;
  consent_method: string | null;
  default_country: string;
  column_mapping_json: string | null;
  created_at: number;
}

export interface ContactsTable {
  id: string;
  list_id: string;
  /** Primary phone, E.164. */
  phone: string;
  /** Every phone of the contact: JSON [{ "phone": "+1...", "ext": "12", "kind": "phone2" }]. */
  phones_json: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  address: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  /** Candidate IANA zones, JSON array; every one must allow a call. */
  timezones_json: string;
  /** Candidate jurisdictions (US, US-TX, ...), JSON array. */
  jurisdictions_json: string;
  line_type: string;
  /** Typed custom attributes, JSON object; dates as ISO strings. */
  attributes_json: string;
  status: 'dialable' | 'callback' | 'done' | 'dnc' | 'invalid';
  priority: number;
  attempts: number;
  next_dial_at: number;
  last_outcome: string | null;
  last_attempt_at: number | null;
  /** Hopper claim: which node holds the contact for dialing, and until when. */
  claimed_by: string | null;
  claim_expires_at: number | null;
  dnc_flag: number;
  /** Hash of the normalised row, for idempotent re-imports. */
  import_key: string | null;
  source_row: number | null;
  created_at: number;
  updated_at: number;
}

export interface AttemptsTable {
  id: string;
  campaign_id: string;
  contact_id: string;
  phone: string;
  attempt_no: number;
  node_id: string | null;
  dialed_at: number;
  answered_at: number | null;
  connected_at: number | null;
  ended_at: number | null;
  outcome: string | null;
  sip_code: number | null;
  q850: number | null;
  amd_verdict: string | null;
  amd_ms: number | null;
  agent_id: string | null;
  abandoned: number;
  abandon_message_played: number;
  decision_verdict: string;
  /** The compliance decision with its evidence, JSON. */
  decision_json: string;
  training: number;
  created_at: number;
  /** The call's recording (stereo WAV) once the driver saved it; null when not recorded (migration 0008). */
  recording_path: string | null;
  recording_ms: number | null;
}

export interface DispositionsTable {
  id: string;
  attempt_id: string | null;
  contact_id: string;
  campaign_id: string;
  agent_id: string | null;
  code: string;
  notes: string | null;
  callback_at: number | null;
  created_at: number;
}

export interface CallbacksTable {
  id: string;
  contact_id: string;
  campaign_id: string;
  /** null = campaign-wide; otherwise only this agent gets it. */
  agent_id: string | null;
  due_at: number;
  status: 'pending' | 'done' | 'cancelled';
  created_at: number;
}

export interface DncEntriesTable {
  id: string;
  kind: 'internal' | 'state' | 'tps' | 'national' | 'litigator';
  /** State code for state lists; seller for internal entries; null otherwise. */
  region: string | null;
  phone: string;
  added_at: number;
  added_by: string | null;
  reason: string | null;
  removed_at: number | null;
  removed_by: string | null;
  removed_reason: string | null;
}

export interface DncSyncsTable {
  kind: string;
  /** Area code for the national registry, state code for state lists. */
  scope: string;
  synced_at: string;
  numbers: number;
  updated_at: number;
}

export interface ConsentsTable {
  id: string;
  contact_id: string | null;
  phone: string;
  seller: string;
  kind: 'written' | 'express' | 'time';
  scope: string;
  given_at: number;
  revoked_at: number | null;
  source: string | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: number;
  user_id: string | null;
  action: string;
  target: string | null;
  detail_json: string | null;
}

/** The event stream, persisted so a client can resume after a reconnect and any node can serve it. */
export interface EventsTable {
  seq: Generated<number>;
  at: number;
  type: string;
  campaign_id: string | null;
  payload_json: string;
}

export interface ImportsTable {
  id: string;
  list_id: string;
  file_name: string;
  file_hash: string;
  status: 'running' | 'done' | 'failed';
  rows: number;
  imported: number;
  duplicates: number;
  rejected: number;
  /** Last source row whose batch committed; an interrupted import resumes after it. */
  committed_row: number;
  summary_json: string | null;
  started_at: number;
  finished_at: number | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  campaigns: CampaignsTable;
  campaign_lists: CampaignListsTable;
  campaign_agents: CampaignAgentsTable;
  lists: ListsTable;
  contacts: ContactsTable;
  attempts: AttemptsTable;
  dispositions: DispositionsTable;
  callbacks: CallbacksTable;
  dnc_entries: DncEntriesTable;
  dnc_syncs: DncSyncsTable;
  consents: ConsentsTable;
  audit_log: AuditLogTable;
  events: EventsTable;
  imports: ImportsTable;
}
