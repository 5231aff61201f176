/** How each CSV column is used: a contact field, a typed custom attribute, or ignored. */
export type AttributeType = 'number' | 'boolean' | 'date' | 'text';

export type ColumnUse =
  | { kind: 'field'; field: ContactField }
  | { kind: 'phone'; slot: number; name: string }
  | { kind: 'attribute'; name: string; type: AttributeType | null }
  | { kind: 'ignore' };

export const CONTACT_FIELDS = ['firstName', 'lastName', 'email', 'address', 'city', 'region', 'postalCode', 'country', 'timezone', 'lineType'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Known header spellings (compared lower-case without spaces, dashes, underscores or dots). */
const ALIASES: Record<string, string> = {
  phone: 'phone', phonenumber: 'phone', phone1: 'phone', telephone: 'phone', tel: 'phone', primaryphone: 'phone', homephone: 'phone', number: 'phone',
  phone2: 'phone2', altphone: 'phone2', alternatephone: 'phone2', mobile: 'phone2', mobilephone: 'phone2', cell: 'phone2', cellphone: 'phone2', workphone: 'phone3',
  firstname: 'firstName', first: 'firstName', fname: 'firstName', givenname: 'firstName',
  lastname: 'lastName', last: 'lastName', lname: 'lastName', surname: 'lastName', familyname: 'lastName',
  email: 'email', emailaddress: 'email', mail: 'email',
  address: 'address', address1: 'address', street: 'address', streetaddress: 'address',
  city: 'city', town: 'city',
  region: 'region', state: 'region', province: 'region', st: 'region',
  postalcode: 'postalCode', zip: 'postalCode', zipcode: 'postalCode', postcode: 'postalCode',
  country: 'country', countrycode: 'country',
  timezone: 'timezone', tz: 'timezone',
  linetype: 'lineType',
  consentat: 'consentAt', consentdate: 'consentAt', consentkind: 'consentKind', consenttype: 'consentKind', source: 'source',
};

export class MappingError extends Error {}

function squash(header: string): string {
  return header.toLowerCase().replace(/[\s\-_.]/g, '');
}

/** "Home Owner" → homeOwner, "last_purchase_at" → lastPurchaseAt: a name the filter language can use. */
export function attributeName(header: string): string {
  const words = header.trim().replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter((w) => w !== '');
  if (words.length === 0) return 'column';
  const name = words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : w[0]!.toUpperCase() + w.slice(1))).join('');
  return /^[0-9]/.test(name) ? `c${name}` : name;
}

/** A target as written in --map or a saved mapping: phone, phone2, firstName, …, `-` (ignore) or an attribute `name[:type]`. */
export function useFor(target: string): ColumnUse {
  const t = target.trim();
  if (t === '-' || t === 'ignore') return { kind: 'ignore' };
  const [rawName = '', rawType] = t.split(':');
  const phone = /^phone(\d*)$/i.exec(rawName);
  if (phone !== null && rawType === undefined) return { kind: 'phone', slot: phone[1] === '' || phone[1] === undefined ? 1 : Number(phone[1]), name: rawName.toLowerCase() };
  const field = CONTACT_FIELDS.find((f) => f.toLowerCase() === rawName.toLowerCase());
  if (field !== undefined && rawType === undefined) return { kind: 'field', field };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(rawName)) throw new MappingError(`"${target}": a field or attribute name is letters, digits and _ only`);
  if (rawType !== undefined && !['number', 'boolean', 'date', 'text'].includes(rawType)) throw new MappingError(`"${target}": type must be number, boolean, date or text`);
  return { kind: 'attribute', name: rawName, type: (rawType as AttributeType | undefined) ?? (rawName === 'consentAt' ? 'date' : null) };
}

/** The default use of a header: a known alias, else a custom attribute named after it. */
export function defaultUse(header: string): ColumnUse {
  const alias = ALIASES[squash(header)];
  const phoneN = /^phone(\d+)$/.exec(squash(header));
  if (phoneN !== null) return useFor(`phone${phoneN[1]}`);
  return useFor(alias ?? attributeName(header));
}

/**
 * Resolves the mapping: saved mapping first, then `--map` entries (CSVCOL=target, CSVCOL a header or a 1-based
 * column number), defaults for the rest. A mapping that names a column the file lacks is a MappingError.
 */
export function resolveMapping(headers: readonly string[], saved: Record<string, string> | null, flags: readonly string[], hasHeader: boolean): ColumnUse[] {
  const uses = headers.map((h) => (hasHeader ? defaultUse(h) : { kind: 'attribute', name: attributeName(h), type: null } as ColumnUse));
  const apply = (column: string, target: string, origin: string, strict: boolean): void => {
    let index = headers.findIndex((h) => h === column);
    if (index < 0) index = headers.findIndex((h) => h.trim().toLowerCase() === column.trim().toLowerCase());
    if (index < 0 && /^\d+$/.test(column)) index = Number(column) - 1;
    if (index < 0 || index >= headers.length) {
      if (!strict) return;
      throw new MappingError(`${origin} ${column}=${target}: the file has no column "${column}" (columns: ${headers.join(', ')})`);
    }
    uses[index] = useFor(target);
  };
  for (const [column, target] of Object.entries(saved ?? {})) apply(column, target, 'saved mapping', false);
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new MappingError(`--map ${flag}: expected CSVCOL=field`);
    apply(flag.slice(0, eq), flag.slice(eq + 1), '--map', true);
  }
  const seen = new Map<string, string>();
  uses.forEach((use, i) => {
    const key = use.kind === 'phone' ? `phone${use.slot}` : use.kind === 'field' ? use.field : use.kind === 'attribute' ? `attr:${use.name}` : null;
    if (key === null) return;
    const previous = seen.get(key);
    if (previous !== undefined) {
      // Two columns on one target: keep the first, make the other an attribute of its own name.
      uses[i] = { kind: 'attribute', name: `${attributeName(headers[i] ?? 'column')}${i + 1}`, type: null };
      return;
    }
    seen.set(key, headers[i] ?? '');
  });
  return uses;
}

/** The mapping to save with the list: header → target (`phone`, `firstName`, `income:number`, `-`). */
export function mappingToSave(headers: readonly string[], uses: readonly ColumnUse[]): Record<string, string> {
  const out: Record<string, string> = {};
  uses.forEach((use, i) => {
    const header = headers[i];
    if (header === undefined) return;
    out[header] = use.kind === 'phone' ? (use.slot === 1 ? 'phone' : `phone${use.slot}`)
      : use.kind === 'field' ? use.field
        : use.kind === 'ignore' ? '-'
          : `${use.name}${use.type === null ? '' : `:${use.type}`}`;
  });
  return out;
}
