import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isBlank, lowerCell, trimCell, upperCell } from '@outdial/contacts/csv/cell-text';
import { attributeJson, convert } from '@outdial/contacts/import/attribute-values';
import type { AttributeType } from '@outdial/contacts/import/column-mapping';
import { ContactLocator } from '@outdial/contacts/import/contact-location';
import { PackedWriter } from '@outdial/contacts/import/packed-writer';
import { importKey, PACK_SEPARATOR, prepareColumns, RowBuilder } from '@outdial/contacts/import/row-builder';

/** Cells as vendor files write them: ASCII, Latin-1, Unicode spaces and case pairs that ICU maps specially. */
const cellChar = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...'aZz09 -.,yesNOTRUEfx'.split('')) },
  { weight: 2, arbitrary: fc.constantFrom('\t', '\n', '\r', '\u000b', '\u00a0', '\u2003', '\ufeff', '\u3000', '\u001f', '\u0085') },
  { weight: 2, arbitrary: fc.constantFrom('é', 'ß', 'ÿ', 'İ', 'ı', 'ǅ', 'Σ', 'ﬁ') },
);
const cell = fc.array(cellChar, { maxLength: 12 }).map((c) => c.join(''));

describe('cell helpers return exactly what the builtins return', () => {
  it('trim, blank, upper and lower case', () => {
    fc.assert(fc.property(cell, (text) => {
      expect(trimCell(text)).toBe(text.trim());
      expect(isBlank(text)).toBe(text.trim() === '');
      expect(upperCell(text)).toBe(text.toUpperCase());
      expect(lowerCell(text)).toBe(text.toLowerCase());
    }), { numRuns: 5000 });
  });
});

describe('attribute JSON', () => {
  const value = fc.oneof(cell, fc.integer().map(String), fc.double().map(String), fc.constantFrom(
    '007', '0', '-0', '1e999', '123456789012345', '1234567890123456', '62,000', '$1,200.50', ' 42 ', '2025-03-01', '2024-02-30',
    '2025-13-01', '1/31/2026', '2026-01-31T10:00:00Z', '2026-01-31 10:00', 'Yes', 'NO', 'true', 'T', 'constructor', '__proto__', 'toString',
  ));
  it('is JSON.stringify of the converted value, null when it does not fit, empty when JSON.stringify writes nothing', () => {
    fc.assert(fc.property(fc.constantFrom<AttributeType>('number', 'boolean', 'date', 'text'), value, (type, raw) => {
      const converted = convert(type, raw);
      // Twice: the second answer comes from the caches.
      for (let k = 0; k < 2; k++) {
        expect({ type, raw, json: attributeJson(type, raw) }).toEqual({ type, raw, json: converted.ok ? JSON.stringify(converted.value) ?? '' : null });
      }
    }), { numRuns: 5000 });
  });
});

describe('import key', () => {
  /** The key as first written (toString(36) of both halves), which stored contacts carry. */
  function original(fields: readonly string[]): string {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ fields.length;
    for (const field of fields) {
      for (let i = 0; i < field.length; i++) {
        const c = field.charCodeAt(i);
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x5bd1e995);
        h2 ^= h2 >>> 15;
      }
      h1 = Math.imul(h1 ^ 0x1f, 0x01000193);
      h2 = Math.imul(h2 ^ 0x1f, 0x5bd1e995);
    }
    return (h1 >>> 0).toString(36).padStart(7, '0') + (h2 >>> 0).toString(36).padStart(7, '0');
  }

  it('is the same key as before for any cells', () => {
    fc.assert(fc.property(fc.array(cell, { maxLength: 10 }), (fields) => {
      expect(importKey(fields)).toBe(original(fields));
    }), { numRuns: 5000 });
  });
});

describe('contact location', () => {
  it('gives the same zones and jurisdictions by the numeric US key as by the text key', () => {
    const fast = new ContactLocator();
    const slow = new ContactLocator();
    const npa = fc.constantFrom('212', '270', '850', '907', '928', '808', '787', '416', '800', '456');
    const zip = fc.constantFrom('10001', '42101', '32401', '99546', '86515', '00901', '12345-6789', '1000', 'A1A1A1', '99999', '10001 ', ' 10001');
    const region = fc.constantFrom(null, 'NY', 'KY', 'FL', 'ny', 'N', 'XX', 'US-NY', 'AK');
    fc.assert(fc.property(npa, zip, region, fc.constantFrom('US', 'CA'), (a, z, r, country) => {
      const phone = `+1${a}2010123`;
      expect(fast.locate(phone, country, z, r)).toEqual(slow['locateByKey'](phone, country, z, r));
    }), { numRuns: 3000 });
  });
});

describe('row builder', () => {
  const headers = ['Phone', 'Phone 2', 'State', 'Zip', 'Home Owner', 'Income', 'Since', 'Note'];
  const columns = prepareColumns([
    { kind: 'phone', slot: 1, name: 'phone' }, { kind: 'phone', slot: 2, name: 'phone2' }, { kind: 'field', field: 'region' },
    { kind: 'field', field: 'postalCode' }, { kind: 'attribute', name: 'homeOwner', type: 'boolean' },
    { kind: 'attribute', name: 'income', type: 'number' }, { kind: 'attribute', name: 'since', type: 'date' },
    { kind: 'attribute', name: 'note', type: 'text' },
  ], headers);

  it('writes the phones and attributes JSON as JSON.stringify would', () => {
    const out: string[] = [];
    const verdict = new RowBuilder(columns, 'US').build({ row: 2, fields: ['(212) 201-0123 x7', '+1 907 201 0123', 'ny', '10001', 'Yes', '62,000', '2025-03-01', ' "hi" '] }, out);
    expect(verdict).toEqual({ kind: 'contact' });
    expect(JSON.parse(out[2] as string)).toEqual([{ phone: '+12122010123', ext: '7', kind: 'phone' }, { phone: '+19072010123', ext: null, kind: 'phone2' }]);
    expect(out[2]).toBe(JSON.stringify([{ phone: '+12122010123', ext: '7', kind: 'phone' }, { phone: '+19072010123', ext: null, kind: 'phone2' }]));
    expect(out[14]).toBe(JSON.stringify({ homeOwner: true, income: 62000, since: '2025-03-01T00:00:00.000Z', note: ' "hi" ' }));
    expect(out[1]).toBe('+19072010123');
    expect(out[8]).toBe('NY');
  });

  it('leaves empty attributes out and rejects a value that does not fit its type', () => {
    const builder = new RowBuilder(columns, 'US');
    const out: string[] = [];
    builder.build({ row: 3, fields: ['212-201-0123', '', '', '', ' ', '', '', ''] }, out);
    expect(out[14]).toBe('{}');
    expect(builder.build({ row: 4, fields: ['212-201-0123', '', '', '', 'maybe', '', '', ''] }, [])).toEqual({
      kind: 'reject', reason: 'invalid_attribute', detail: 'column 5 (Home Owner): "maybe" is not a boolean',
    });
  });

  it('keeps JSON.stringify\'s object rules for attribute names it treats specially', () => {
    const special = prepareColumns([{ kind: 'phone', slot: 1, name: 'phone' }, { kind: 'attribute', name: '__proto__', type: 'number' }, { kind: 'attribute', name: 'a', type: 'number' }], ['Phone', 'P', 'A']);
    const out: string[] = [];
    new RowBuilder(special, 'US').build({ row: 2, fields: ['212-201-0123', '5', '6'] }, out);
    expect(out[14]).toBe('{"a":6}');
  });
});

describe('packed text', () => {
  const headers = ['First', 'Phone', 'Phone 2', 'State', 'Zip', 'Flag', 'Amount', 'Line'];
  const columns = prepareColumns([
    { kind: 'field', field: 'firstName' }, { kind: 'phone', slot: 1, name: 'phone' }, { kind: 'phone', slot: 2, name: 'phone2' },
    { kind: 'field', field: 'region' }, { kind: 'field', field: 'postalCode' }, { kind: 'attribute', name: 'flag', type: 'boolean' },
    { kind: 'attribute', name: 'amount', type: 'number' }, { kind: 'field', field: 'lineType' },
  ], headers);
  const phone = fc.constantFrom('(212) 201-0123', '212.201.0123 x9', '+1 907 201 0123', '', 'n/a', '+44 20 7946 0958', '555-0100', '001 416 201 0123');
  const row = fc.tuple(cell, phone, phone, fc.constantFrom('', 'ny', 'TX', ' fl '), fc.constantFrom('', '10001', '99546-1234', 'x'),
    fc.constantFrom('', 'yes', 'No', 'maybe'), fc.constantFrom('', '12', '1,200', 'abc'), fc.constantFrom('', 'Mobile', 'LANDLINE'));

  it('is what joining the cells of build() gives, rejected rows included (they write nothing)', () => {
    fc.assert(fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
      const cells: string[] = [];
      const writer = new PackedWriter();
      const byCells = new RowBuilder(columns, 'US');
      const packed = new RowBuilder(columns, 'US');
      rows.forEach((fields, i) => {
        const rec = { row: i + 2, fields: [...fields] };
        expect(packed.buildPacked(rec, writer)).toEqual(byCells.build(rec, cells));
      });
      expect(writer.cells).toBe(cells.length);
      expect(writer.take()).toBe(cells.join(PACK_SEPARATOR));
    }), { numRuns: 500 });
  });

  it('keeps characters above U+00FF and grows past its first buffer', () => {
    const writer = new PackedWriter();
    const long = 'é'.repeat(700_000);
    writer.cell(); writer.text(long);
    writer.cell(); writer.text('İstanbul ǅ');
    writer.cell(); writer.decimal(1234567);
    writer.cell(); writer.text(long);
    expect(writer.take()).toBe([long, 'İstanbul ǅ', '1234567', long].join(PACK_SEPARATOR));
    writer.cell(); writer.text('after');
    expect(writer.take()).toBe('after');
  });
});
