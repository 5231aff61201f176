/**
 * Pure helpers for the messy phone numbers of vendor lists, enough for the North American fast path (most rows of
 * a US list) without a phone-number library: split an extension off, and find the 10 NANP digits in forms such as
 * `(212) 201-0123`, `212.201.0123`, `+1 212 2010123`, `1-212-201-0123` and `001 212 201 0123`.
 */

export interface SplitPhone {
  /** The number without its extension, trimmed. */
  number: string;
  /** Extension digits, or null. */
  ext: string | null;
}

// "x12", "ext 12", "ext. 12", "extension 12", "#12", ";ext=12" at the end of the text.
const EXTENSION = /\s*(?:;\s*ext\s*=\s*|,?\s*(?:extension|ext\.?|x|#)\s*[:.]?\s*)(\d{1,8})\s*$/i;

export function splitExtension(raw: string): SplitPhone {
  const text = raw.trim();
  const match = EXTENSION.exec(text);
  if (match === null || match.index === 0) return { number: text, ext: null };
  return { number: text.slice(0, match.index).trim(), ext: match[1] ?? null };
}

const ALLOWED_PUNCTUATION = new Set([' ', '-', '.', '(', ')', '/', '+', '\u00a0']);

/**
 * The 10 NANP digits of a number written in a North American or international form, or null when the text is not
 * such a number (letters, another country code, wrong length). Plausibility of the area code is checked elsewhere.
 */
export function nanpDigits(number: string): string | null {
  let digits = '';
  let plus = false;
  for (let i = 0; i < number.length; i++) {
    const ch = number[i] as string;
    const code = ch.charCodeAt(0);
    if (code >= 48 && code <= 57) { digits += ch; continue; }
    if (ch === '+') {
      if (digits !== '' || plus) return null;
      plus = true;
      continue;
    }
    if (!ALLOWED_PUNCTUATION.has(ch)) return null;
  }
  if (plus) return digits.length === 11 && digits[0] === '1' ? digits.slice(1) : null;
  if (digits.length === 10) return digits;
  if (digits.length === 11 && digits[0] === '1') return digits.slice(1);
  if (digits.length === 13 && digits.startsWith('001')) return digits.slice(3);
  if (digits.length === 14 && digits.startsWith('0111')) return digits.slice(4);
  return null;
}

/** NANP numbering-plan shape: NPA and NXX both start with 2-9, and neither is an N11 service code. */
export function hasNanpShape(ten: string): boolean {
  if (ten.length !== 10) return false;
  const a = ten.charCodeAt(0);
  const e = ten.charCodeAt(3);
  if (a < 50 || e < 50) return false;
  if (ten[1] === '1' && ten[2] === '1') return false;
  if (ten[4] === '1' && ten[5] === '1') return false;
  return true;
}
