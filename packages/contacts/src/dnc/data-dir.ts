import { dirname, join } from 'node:path';

/**
 * Where binary data files live: OUTDIAL_DATA_DIR, else the directory of an SQLite store file, else ./data.
 * The national registry lives there as dnc-national.bin.
 */
export function dataDirFor(storeUrl: string, env: Readonly<Record<string, string | undefined>>): string {
  const explicit = env['OUTDIAL_DATA_DIR'];
  if (explicit !== undefined && explicit !== '') return explicit;
  if (storeUrl.startsWith('sqlite:') && storeUrl !== 'sqlite::memory:') return dirname(storeUrl.slice('sqlite:'.length));
  return './data';
}

export function nationalRegistryPath(dataDir: string): string {
  return join(dataDir, 'dnc-national.bin');
}
