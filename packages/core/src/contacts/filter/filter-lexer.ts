import type { FilterResult } from './filter-ast.ts';

export type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'keyword'; text: 'and' | 'or' | 'not' | 'in' | 'is' | 'null' | 'true' | 'false' | 'now'; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'duration'; ms: number; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'op'; text: '=' | '!=' | '<' | '<=' | '>' | '>=' | '(' | ')' | ',' | '+' | '-'; pos: number }
  | { kind: 'end'; pos: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false', 'now']);
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
export const MAX_FILTER_LENGTH = 10_000;

/** Splits filter text into tokens; positions are 1-based columns. */
export function lex(source: string): FilterResult<Token[]> {
  if (source.length > MAX_FILTER_LENGTH) return { ok: false, problem: { message: `filter longer than ${MAX_FILTER_LENGTH} characters`, column: 1 } };
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] as string;
    const pos = i + 1;
    if (/\s/.test(ch)) { i++; continue; }
    if (/[A-Za-z_]/.test(ch)) {
      let j = i + 1;
      while (j < source.length && /[A-Za-z0-9_]/.test(source[j] as string)) j++;
      const word = source.slice(i, j);
      const lower = word.toLowerCase();
      if (KEYWORDS.has(lower)) tokens.push({ kind: 'keyword', text: lower as Extract<Token, { kind: 'keyword' }>['text'], pos });
      else tokens.push({ kind: 'ident', text: word, pos });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? ''))) {
      const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(source.slice(i));
      const text = match?.[0] ?? ch;
      const j = i + text.length;
      const unit = source[j];
      if (unit !== undefined && UNIT_MS[unit] !== undefined && !/[A-Za-z0-9_]/.test(source[j + 1] ?? '')) {
        if (!/^\d+$/.test(text)) return { ok: false, problem: { message: `a duration is a whole number and a unit (s, m, h, d, w), got "${text}${unit}"`, column: pos } };
        tokens.push({ kind: 'duration', ms: Number(text) * (UNIT_MS[unit] as number), pos });
        i = j + 1;
        continue;
      }
      if (/[A-Za-z_]/.test(source[j] ?? '')) return { ok: false, problem: { message: `unexpected "${source.slice(i, j + 1)}": a number or a duration such as 365d`, column: pos } };
      tokens.push({ kind: 'number', value: Number(text), pos });
      i = j;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let value = '';
      let j = i + 1;
      let closed = false;
      while (j < source.length) {
        const c = source[j] as string;
        if (c === '\\' && j + 1 < source.length) { value += source[j + 1]; j += 2; continue; }
        if (c === ch) { closed = true; j++; break; }
        value += c;
        j++;
      }
      if (!closed) return { ok: false, problem: { message: 'string not closed', column: pos } };
      tokens.push({ kind: 'string', value, pos });
      i = j;
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=' || two === '==') {
      tokens.push({ kind: 'op', text: two === '<>' ? '!=' : two === '==' ? '=' : two, pos });
      i += 2;
      continue;
    }
    if ('=<>(),+-'.includes(ch)) {
      tokens.push({ kind: 'op', text: ch as '=' | '<' | '>' | '(' | ')' | ',' | '+' | '-', pos });
      i++;
      continue;
    }
    return { ok: false, problem: { message: `unexpected character "${ch}"`, column: pos } };
  }
  tokens.push({ kind: 'end', pos: source.length + 1 });
  return { ok: true, value: tokens };
}
