import { describe, expect, it } from 'vitest';
import { CsvFormatError, CsvParser, sniffDelimiter } from '@outdial/contacts/csv/csv-parser';
import type { CsvDelimiter, CsvRecord } from '@outdial/contacts/csv/csv-parser';

function parseAll(text: string, delimiter: CsvDelimiter = ',', chunk = text.length || 1): CsvRecord[] {
  const parser = new CsvParser({ delimiter, maxRecordChars: 1000 });
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) parser.push(text.slice(i, i + chunk), out);
  parser.end(out);
  return out;
}

describe('CSV parser', () => {
  it('parses quoted fields with delimiters, doubled quotes and newlines', () => {
    const records = parseAll('a,"b,c","say ""hi""","two\nlines"\r\nx,y,z,w\n');
    expect(records.map((r) => r.fields)).toEqual([['a', 'b,c', 'say "hi"', 'two\nlines'], ['x', 'y', 'z', 'w']]);
    expect(records.map((r) => r.row)).toEqual([1, 2]);
  });

  it('gives the same records whatever the chunk size', () => {
    const text = 'name,phone\n"Lee, Ann","(212) 201-0123"\r\nBob,212.201.0124\n"q""uote",\n';
    const whole = parseAll(text).map((r) => r.fields);
    for (const size of [1, 2, 3, 5, 7, 64]) expect(parseAll(text, ',', size).map((r) => r.fields)).toEqual(whole);
  });

  it('keeps empty fields, a trailing delimiter and a last line without newline', () => {
    expect(parseAll('a,,c\n,b,\nlast,x').map((r) => r.fields)).toEqual([['a', '', 'c'], ['', 'b', ''], ['last', 'x']]);
  });

  it('skips blank lines but counts them as rows', () => {
    const records = parseAll('a,b\n\nc,d\n');
    expect(records.map((r) => [r.row, r.fields])).toEqual([[1, ['a', 'b']], [3, ['c', 'd']]]);
  });

  it('names the row and column of a quote not closed', () => {
    expect(() => parseAll('a,b\nc,"never closed\nmore\n')).toThrowError(/row 2, column 2: quoted field is not closed/);
  });

  it('names the row and column of text after a closing quote', () => {
    expect(() => parseAll('a,b\n"x"y,z\n')).toThrowError(/row 2, column 1: unexpected character 0x79 after a closing quote/);
  });

  it('refuses binary junk with the row and column', () => {
    expect(() => parseAll('a,b\nok,\u0000\u0001\u0002\n')).toThrowError(CsvFormatError);
    expect(() => parseAll('a,b\nok,\u0000\u0001\u0002\n')).toThrowError(/row 2, column 2: character 0x00/);
  });

  it('refuses a record longer than the limit instead of buffering it', () => {
    const parser = new CsvParser({ delimiter: ',', maxRecordChars: 1000 });
    parser.push('a,b\n');
    expect(() => { for (let i = 0; i < 20; i++) parser.push('x'.repeat(100)); }).toThrowError(/row 2, column 1: record longer than 1000 characters/);
  });

  it('sniffs comma, semicolon and tab', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(sniffDelimiter('a;b;c\n1;2,5;3\n')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(sniffDelimiter('"x,y";b\n"1,2";3\n')).toBe(';');
  });
});

