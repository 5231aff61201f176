/**
 * Reads the head of a CSV file in the browser for the import wizard's mapping step: the delimiter, the header and
 * the first rows. Quoted fields (with "" escapes and line breaks) are handled; the server parses the whole file.
 */
export interface CsvPreview {
  delimiter: string;
  headers: string[];
  rows: string[][];
}

const CANDIDATES = [',', ';', '\t', '|'] as const;

export function detectDelimiter(firstLine: string): string {
  let best: string = ',';
  let bestCount = -1;
  for (const d of CANDIDATES) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

export function parseCsvRows(text: string, delimiter: string, maxRows: number): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  while (i < body.length && rows.length < maxRows) {
    const ch = body[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
    i++;
  }
  if (rows.length < maxRows && (field !== '' || row.length > 0)) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function previewCsv(text: string, maxRows = 5): CsvPreview {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = detectDelimiter(firstLine);
  const [headers = [], ...rows] = parseCsvRows(text, delimiter, maxRows + 1);
  return { delimiter, headers: headers.map((h) => h.trim()), rows };
}

/** Mapping targets the import understands (see the contacts import's column mapping). */
export const FIELD_TARGETS = ['phone', 'phone2', 'phone3', 'firstName', 'lastName', 'email', 'address', 'city', 'region', 'postalCode', 'country', 'timezone'] as const;

const ALIASES: Record<string, string> = {
  phone: 'phone', phonenumber: 'phone', telephone: 'phone', tel: 'phone', number: 'phone', mobile: 'phone2', cell: 'phone2', altphone: 'phone2',
  firstname: 'firstName', first: 'firstName', givenname: 'firstName', lastname: 'lastName', last: 'lastName', surname: 'lastName',
  email: 'email', mail: 'email', address: 'address', street: 'address', city: 'city', town: 'city', region: 'region', state: 'region',
  postalcode: 'postalCode', zip: 'postalCode', zipcode: 'postalCode', postcode: 'postalCode', country: 'country', timezone: 'timezone', tz: 'timezone',
};

/** "Home Owner" → homeOwner: the attribute name a column becomes when it is no known field. */
export function attributeNameOf(header: string): string {
  const words = header.trim().replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ').filter((w) => w !== '');
  if (words.length === 0) return 'column';
  const name = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  return /^[0-9]/.test(name) ? `c${name}` : name;
}

/** The suggested target of a header: a known field by its usual spellings, else a custom attribute. */
export function suggestTarget(header: string): string {
  return ALIASES[header.toLowerCase().replace(/[\s\-_.]/g, '')] ?? attributeNameOf(header);
}
