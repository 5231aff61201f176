import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import iconv from 'iconv-lite';
import type { CsvDelimiter, CsvRecord } from './csv-parser.ts';
import { CsvFormatError, CsvParser, DEFAULT_MAX_RECORD_CHARS, sniffDelimiter } from './csv-parser.ts';

export type CsvEncoding = 'utf-8' | 'windows-1252';

export interface CsvReadOptions {
  delimiter?: CsvDelimiter;
  /** Default: detected (UTF-8 when the start of the file is valid UTF-8, else Windows-1252). */
  encoding?: CsvEncoding;
  maxRecordChars?: number;
}

export interface CsvFileInfo {
  delimiter: CsvDelimiter;
  encoding: CsvEncoding;
  gzip: boolean;
}

const SAMPLE_BYTES = 64 * 1024;

/** Opens a byte stream over the file, gunzipping `.csv.gz` (recognised by its magic bytes, whatever its name). */
async function openBytes(path: string): Promise<{ stream: Readable; gzip: boolean }> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(2);
  try {
    await handle.read(head, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  return { stream: gzip ? raw.pipe(createGunzip()) : raw, gzip };
}

function looksLikeUtf8(bytes: Buffer): boolean {
  // Cut a possibly split multi-byte character at the end of the sample.
  let end = bytes.length;
  for (let k = 1; k <= 3 && end - k >= 0; k++) {
    const b = bytes[end - k] ?? 0;
    if ((b & 0xc0) === 0xc0) { end -= k; break; }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * Streams a CSV file as batches of records (one batch per chunk read), never holding the whole file. Structural
 * problems throw CsvFormatError naming the row and column.
 */
export async function* readCsvFile(path: string, options: CsvReadOptions = {}, onInfo?: (info: CsvFileInfo) => void): AsyncGenerator<CsvRecord[]> {
  const { stream, gzip } = await openBytes(path);
  let parser: CsvParser | undefined;
  let decode: ((bytes: Buffer) => string) | undefined;
  let head: Buffer[] = [];
  let headBytes = 0;
  let sawAnyByte = false;

  const start = (bytes: Buffer): { text: string; parser: CsvParser } => {
    let body = bytes;
    let encoding: CsvEncoding;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      body = bytes.subarray(3);
      encoding = 'utf-8';
    } else {
      encoding = options.encoding ?? (looksLikeUtf8(bytes) ? 'utf-8' : 'windows-1252');
    }
    if (encoding === 'utf-8') {
      const decoder = new TextDecoder('utf-8');
      decode = (b) => decoder.decode(b, { stream: true });
    } else {
      const decoder = iconv.getDecoder('windows1252');
      decode = (b) => decoder.write(b);
    }
    const text = decode(body);
    const delimiter = options.delimiter ?? sniffDelimiter(text.slice(0, SAMPLE_BYTES));
    const created = new CsvParser({ delimiter, maxRecordChars: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS });
    parser = created;
    onInfo?.({ delimiter, encoding, gzip });
    return { text, parser: created };
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (chunk.length > 0) sawAnyByte = true;
      if (parser === undefined || decode === undefined) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SAMPLE_BYTES) continue;
        const started = start(Buffer.concat(head));
        head = [];
        yield started.parser.push(started.text);
        continue;
      }
      yield parser.push(decode(chunk));
    }
    if (parser === undefined) {
      if (!sawAnyByte) return;
      const started = start(Buffer.concat(head));
      yield started.parser.end(started.parser.push(started.text));
      return;
    }
    yield parser.end();
  } catch (error) {
    stream.destroy();
    if (error instanceof CsvFormatError) throw error;
    if (error instanceof Error && 'code' in error && (error as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') {
      throw new CsvFormatError(0, 0, `the gzip data is corrupt (${error.message})`);
    }
    throw error;
  }
}
