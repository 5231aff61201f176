import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Db } from '@outdial/store/database';
import { DncListsRepository } from '@outdial/store/repositories/contact-import-dnc.repository';
import type { DncEntry, DncListKind } from '@outdial/store/repositories/contact-import-dnc.repository';
import { BITSET_BYTES, NationalRegistry } from './national-registry.ts';
import { parseRegistryFile, RegistryFormatError } from './registry-file-parser.ts';
import { PhoneNormaliser } from '../phone/phone-normaliser.ts';

export interface ListHit {
  kind: DncListKind;
  region: string | null;
  /** The list's sync date (national: the area code's), or the day an internal entry was added. */
  syncedAt: string | null;
}

export interface LoadSummary {
  kind: DncListKind;
  region: string | null;
  files: { file: string; lines: number; added: number; removed: number; change: boolean }[];
  areaCodes: number;
  numbers: number;
  syncedAt: string;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Every do-not-call list behind one interface: the national registry (bitsets in memory, binary file on disk) and
 * the lists kept in the store (state, internal, TPS). Used by `dnc load`, `dnc check`, the import and the API.
 */
export class DncLists {
  private entriesByPhone: Map<string, DncEntry[]> | undefined;
  private syncDates: Map<string, string> | undefined;

  constructor(
    private readonly db: Db,
    readonly national: NationalRegistry,
    private readonly registryPath: string,
  ) {}

  static open(db: Db, registryPath: string): DncLists {
    return new DncLists(db, NationalRegistry.load(registryPath), registryPath);
  }

  /** Loads every active store entry into memory (for scrubbing a whole import). */
  async preload(): Promise<void> {
    const map = new Map<string, DncEntry[]>();
    for (const entry of await new DncListsRepository(this.db).active()) {
      const list = map.get(entry.phone);
      if (list === undefined) map.set(entry.phone, [entry]);
      else list.push(entry);
    }
    this.entriesByPhone = map;
    await this.loadSyncDates();
  }

  private async loadSyncDates(): Promise<Map<string, string>> {
    const dates = new Map<string, string>();
    for (const s of await new DncListsRepository(this.db).syncs()) dates.set(`${s.kind}:${s.scope}`, s.syncedAt);
    this.syncDates = dates;
    return dates;
  }

  /** Lists holding the number, from preloaded data (call preload first). */
  hitsPreloaded(e164: string): ListHit[] {
    const hits: ListHit[] = [];
    const since = this.national.listedSince(e164);
    if (since !== null || this.national.has(e164)) hits.push({ kind: 'national', region: null, syncedAt: since });
    for (const entry of this.entriesByPhone?.get(e164) ?? []) hits.push(this.entryHit(entry));
    return hits;
  }

  /** Lists holding each number (queried from the store). */
  async check(e164s: readonly string[]): Promise<Map<string, ListHit[]>> {
    await this.loadSyncDates();
    const entries = await new DncListsRepository(this.db).activeFor(e164s);
    const out = new Map<string, ListHit[]>();
    for (const phone of e164s) {
      const since = this.national.listedSince(phone);
      out.set(phone, since !== null || this.national.has(phone) ? [{ kind: 'national', region: null, syncedAt: since }] : []);
    }
    for (const entry of entries) out.get(entry.phone)?.push(this.entryHit(entry));
    return out;
  }

  private entryHit(entry: DncEntry): ListHit {
    const listSync = this.syncDates?.get(`${entry.kind}:${entry.region ?? ''}`);
    return { kind: entry.kind, region: entry.region, syncedAt: entry.kind === 'internal' ? isoDay(entry.addedAt) : (listSync ?? isoDay(entry.addedAt)) };
  }

  /**
   * Loads FTC files: a full file replaces every area code it holds, a change file adds and removes numbers. The
   * binary registry is rewritten once at the end and each touched area code's sync date is recorded.
   */
  async loadNational(files: readonly string[], syncedAt: string, now: number): Promise<LoadSummary> {
    const summary: LoadSummary = { kind: 'national', region: null, files: [], areaCodes: 0, numbers: 0, syncedAt };
    const touched = new Set<number>();
    for (const file of files) {
      const fresh = new Map<number, Uint8Array>();
      const added = new Map<number, number[]>();
      const removed = new Map<number, number[]>();
      let change = false;
      // Files come per area code: remember the last area code's bitset instead of a map lookup per number.
      let lastNpa = -1;
      let lastSet: Uint8Array = new Uint8Array(0);
      const result = await parseRegistryFile(file, {
        add(ten) {
          const npa = Math.floor(ten / 10_000_000);
          const sub = ten - npa * 10_000_000;
          if (change) { pushTo(added, npa, sub); return; }
          if (npa !== lastNpa) {
            let set = fresh.get(npa);
            if (set === undefined) { set = new Uint8Array(BITSET_BYTES); fresh.set(npa, set); }
            lastNpa = npa;
            lastSet = set;
          }
          lastSet[sub >>> 3] = (lastSet[sub >>> 3] as number) | (1 << (sub & 7));
        },
        remove(ten) {
          change = true;
          const npa = Math.floor(ten / 10_000_000);
          pushTo(removed, npa, ten - npa * 10_000_000);
        },
      });
      if (result.change) {
        // Additions seen before the first removal were set in `fresh`: move them to the change set.
        for (const [npa, set] of fresh) for (const sub of bitsOf(set)) pushTo(added, npa, sub);
        for (const npa of new Set([...added.keys(), ...removed.keys()])) {
          this.national.applyChanges(npa, added.get(npa) ?? [], removed.get(npa) ?? [], syncedAt);
          touched.add(npa);
        }
      } else {
        for (const [npa, set] of fresh) { this.national.replaceAreaCode(npa, set, syncedAt); touched.add(npa); }
      }
      summary.files.push({ file, ...result });
    }
    mkdirSync(dirname(this.registryPath), { recursive: true });
    this.national.save(this.registryPath);
    const repo = new DncListsRepository(this.db);
    const states = new Map(this.national.areaCodes().map((a) => [a.npa, a]));
    for (const npa of touched) await repo.recordSync('national', String(npa), syncedAt, states.get(npa)?.count ?? 0, now);
    summary.areaCodes = touched.size;
    summary.numbers = [...touched].reduce((n, npa) => n + (states.get(npa)?.count ?? 0), 0);
    return summary;
  }

  /**
   * Loads a plain number list into the store: state and TPS files replace that list (kind + region); internal
   * files add to the internal list. Numbers are normalised (TPS numbers as UK numbers).
   */
  async loadList(kind: Exclude<DncListKind, 'national'>, region: string | null, files: readonly string[], syncedAt: string, by: string | null, now: number): Promise<LoadSummary> {
    const normaliser = new PhoneNormaliser(kind === 'tps' ? 'GB' : 'US');
    const phones: string[] = [];
    const summary: LoadSummary = { kind, region, files: [], areaCodes: 0, numbers: 0, syncedAt };
    for (const file of files) {
      const { readFile } = await import('node:fs/promises');
      const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
      const lines = text.split(/\r?\n/);
      // A final newline ends the last line; it does not start another.
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      let added = 0;
      lines.forEach((line, index) => {
        const value = line.split(/[,;\t]/)[0]?.trim() ?? '';
        if (value === '') return;
        const result = normaliser.normalise(value);
        if (!result.ok) throw new RegistryFormatError(file, index + 1, `"${value.slice(0, 40)}" is not a phone number`);
        phones.push(result.e164);
        added++;
      });
      summary.files.push({ file, lines: lines.length, added, removed: 0, change: false });
    }
    const repo = new DncListsRepository(this.db);
    // The file's name, not its path: an uploaded file lives in a temporary directory that means nothing later.
    const reason = `loaded from ${files.map((f) => basename(f)).join(', ')}`;
    summary.numbers = kind === 'internal' ? await repo.add(kind, region, phones, by, reason, now) : await repo.replace(kind, region, phones, by, reason, now);
    await repo.recordSync(kind, region ?? '', syncedAt, summary.numbers, now);
    return summary;
  }
}

function pushTo(map: Map<number, number[]>, key: number, ...values: number[]): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [...values]);
  else for (const v of values) list.push(v);
}

function bitsOf(set: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < set.length; i++) {
    const byte = set[i] as number;
    if (byte === 0) continue;
    for (let b = 0; b < 8; b++) if (byte & (1 << b)) out.push(i * 8 + b);
  }
  return out;
}
