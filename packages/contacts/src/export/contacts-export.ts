import type { Writable } from 'node:stream';
import type { Db } from '@outdial/store/database';
import { ContactExportRepository } from '@outdial/store/repositories/contact-import-export.repository';
import { CsvWriter } from './csv-writer.ts';

const CONTACT_HEADER = ['id', 'phone', 'phones', 'firstName', 'lastName', 'email', 'address', 'city', 'region', 'postalCode', 'country',
  'timezones', 'jurisdictions', 'lineType', 'status', 'attempts', 'lastOutcome', 'lastAttemptAt', 'dncFlag', 'sourceRow', 'createdAt'];

function iso(ms: number | null): string {
  return ms === null ? '' : new Date(ms).toISOString();
}

/**
 * Streams a list's contacts as CSV (custom attributes as extra columns, in the order first seen on the first page).
 * Every cell that a spreadsheet would run as a formula is neutralised.
 */
export async function exportContactsCsv(db: Db, listId: string, out: Writable): Promise<number> {
  const writer = CsvWriter.on(out, { neutralise: true });
  let attributes: string[] | null = null;
  let count = 0;
  for await (const page of new ContactExportRepository(db).contacts(listId)) {
    if (attributes === null) {
      const names = new Set<string>();
      for (const row of page) for (const key of Object.keys(JSON.parse(row.attributes_json) as object)) names.add(key);
      attributes = [...names];
      await writer.row([...CONTACT_HEADER, ...attributes]);
    }
    for (const c of page) {
      const attrs = JSON.parse(c.attributes_json) as Record<string, unknown>;
      const phones = (JSON.parse(c.phones_json) as { phone: string; ext: string | null }[]).map((p) => (p.ext ? `${p.phone};ext=${p.ext}` : p.phone)).join(' ');
      await writer.row([
        c.id, c.phone, phones, c.first_name, c.last_name, c.email, c.address, c.city, c.region, c.postal_code, c.country,
        (JSON.parse(c.timezones_json) as string[]).join(' '), (JSON.parse(c.jurisdictions_json) as string[]).join(' '), c.line_type, c.status,
        c.attempts, c.last_outcome, iso(c.last_attempt_at), c.dnc_flag, c.source_row, iso(c.created_at),
        ...attributes.map((name) => { const v = attrs[name]; return v === undefined || v === null ? '' : String(v); }),
      ]);
      count++;
    }
  }
  if (attributes === null) await writer.row(CONTACT_HEADER);
  return count;
}

const ATTEMPT_HEADER = ['id', 'contactId', 'phone', 'attemptNo', 'dialedAt', 'answeredAt', 'connectedAt', 'endedAt', 'outcome', 'sipCode', 'q850',
  'amdVerdict', 'agentId', 'abandoned', 'decision'];

/** Streams a campaign's attempts as CSV, formula-like cells neutralised. */
export async function exportAttemptsCsv(db: Db, campaignId: string, out: Writable): Promise<number> {
  const writer = CsvWriter.on(out, { neutralise: true });
  await writer.row(ATTEMPT_HEADER);
  let count = 0;
  for await (const page of new ContactExportRepository(db).attempts(campaignId)) {
    for (const a of page) {
      await writer.row([a.id, a.contact_id, a.phone, a.attempt_no, iso(a.dialed_at), iso(a.answered_at), iso(a.connected_at), iso(a.ended_at),
        a.outcome, a.sip_code, a.q850, a.amd_verdict, a.agent_id, a.abandoned, a.decision_verdict]);
      count++;
    }
  }
  return count;
}
