import type { CompareOp, FilterNode, FilterResult, LiteralNode } from './filter-ast.ts';
import { lex } from './filter-lexer.ts';
import type { Token } from './filter-lexer.ts';

/** Deepest nesting accepted (parentheses and `not`), so a hostile filter cannot exhaust the stack. */
const MAX_DEPTH = 64;

class ParseError extends Error {
  constructor(message: string, readonly column: number) {
    super(message);
  }
}

/**
 * Grammar (keywords are case-insensitive):
 *   filter  := or
 *   or      := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" or ")" | test
 *   test    := FIELD op literal | FIELD ["not"] "in" "(" literal ("," literal)* ")" | FIELD "is" ["not"] "null"
 *   op      := "=" | "!=" | "<>" | "<" | "<=" | ">" | ">="
 *   literal := NUMBER | "-" NUMBER | STRING | "true" | "false" | "now" [("+" | "-") DURATION]
 *   DURATION:= digits unit, unit one of s m h d w (e.g. 365d)
 */
export function parseFilter(source: string): FilterResult<FilterNode> {
  const lexed = lex(source);
  if (!lexed.ok) return lexed;
  const tokens = lexed.value;
  let index = 0;
  let depth = 0;

  const peek = (): Token => tokens[index] as Token;
  const next = (): Token => tokens[index++] as Token;
  const isKeyword = (t: Token, text: string): boolean => t.kind === 'keyword' && t.text === text;
  const isOp = (t: Token, text: string): boolean => t.kind === 'op' && t.text === text;
  const describe = (t: Token): string => {
    switch (t.kind) {
      case 'end': return 'the end of the filter';
      case 'ident': return `"${t.text}"`;
      case 'keyword': return `"${t.text}"`;
      case 'op': return `"${t.text}"`;
      case 'number': return `the number ${t.value}`;
      case 'duration': return 'a duration';
      case 'string': return `the string "${t.value}"`;
    }
  };

  const parseOr = (): FilterNode => {
    let left = parseAnd();
    while (isKeyword(peek(), 'or')) {
      next();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): FilterNode => {
    let left = parseUnary();
    while (isKeyword(peek(), 'and')) {
      next();
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): FilterNode => {
    const t = peek();
    if (++depth > MAX_DEPTH) throw new ParseError(`filter nested deeper than ${MAX_DEPTH} levels`, t.pos);
    try {
      if (isKeyword(t, 'not')) {
        next();
        return { kind: 'not', operand: parseUnary() };
      }
      if (isOp(t, '(')) {
        next();
        const inner = parseOr();
        const close = next();
        if (!isOp(close, ')')) throw new ParseError(`expected ")" to close the "(" at column ${t.pos}, found ${describe(close)}`, close.pos);
        return inner;
      }
      return parseTest();
    } finally {
      depth--;
    }
  };
  const parseTest = (): FilterNode => {
    const fieldToken = next();
    if (fieldToken.kind !== 'ident') throw new ParseError(`expected a field name, found ${describe(fieldToken)}`, fieldToken.pos);
    const field = fieldToken.text;
    const fieldPos = fieldToken.pos;
    const t = next();
    if (isKeyword(t, 'is')) {
      let negated = false;
      if (isKeyword(peek(), 'not')) { next(); negated = true; }
      const n = next();
      if (!isKeyword(n, 'null')) throw new ParseError(`expected "null" after "is", found ${describe(n)}`, n.pos);
      return { kind: 'null', field, fieldPos, negated };
    }
    let negatedIn = false;
    let inToken = t;
    if (isKeyword(t, 'not')) { negatedIn = true; inToken = next(); }
    if (isKeyword(inToken, 'in')) {
      const open = next();
      if (!isOp(open, '(')) throw new ParseError(`expected "(" after "in", found ${describe(open)}`, open.pos);
      const values: LiteralNode[] = [parseLiteral()];
      while (isOp(peek(), ',')) { next(); values.push(parseLiteral()); }
      const close = next();
      if (!isOp(close, ')')) throw new ParseError(`expected "," or ")" in the list, found ${describe(close)}`, close.pos);
      return { kind: 'in', field, fieldPos, negated: negatedIn, values };
    }
    if (negatedIn) throw new ParseError(`expected "in" after "not", found ${describe(inToken)}`, inToken.pos);
    if (t.kind !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(t.text)) {
      throw new ParseError(`expected a comparison (=, !=, <, <=, >, >=, in, is null) after ${field}, found ${describe(t)}`, t.pos);
    }
    return { kind: 'compare', field, fieldPos, op: t.text as CompareOp, value: parseLiteral() };
  };
  const parseLiteral = (): LiteralNode => {
    const t = next();
    if (t.kind === 'number') return { kind: 'number', value: t.value, pos: t.pos };
    if (isOp(t, '-') && peek().kind === 'number') {
      const n = next() as Extract<Token, { kind: 'number' }>;
      return { kind: 'number', value: -n.value, pos: t.pos };
    }
    if (t.kind === 'string') return { kind: 'string', value: t.value, pos: t.pos };
    if (isKeyword(t, 'true') || isKeyword(t, 'false')) return { kind: 'boolean', value: isKeyword(t, 'true'), pos: t.pos };
    if (isKeyword(t, 'now')) {
      const sign = peek();
      if (isOp(sign, '+') || isOp(sign, '-')) {
        next();
        const d = next();
        if (d.kind !== 'duration') throw new ParseError(`expected a duration such as 365d, 12h or 2w after "now ${(sign as { text: string }).text}", found ${describe(d)}`, d.pos);
        return { kind: 'now', offsetMs: isOp(sign, '-') ? -d.ms : d.ms, pos: t.pos };
      }
      return { kind: 'now', offsetMs: 0, pos: t.pos };
    }
    throw new ParseError(`expected a value (number, "text", true, false, now - 30d), found ${describe(t)}`, t.pos);
  };

  try {
    const ast = parseOr();
    const end = peek();
    if (end.kind !== 'end') throw new ParseError(`unexpected ${describe(end)}: expected "and", "or" or the end of the filter`, end.pos);
    return { ok: true, value: ast };
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, problem: { message: error.message, column: error.column } };
    throw error;
  }
}
