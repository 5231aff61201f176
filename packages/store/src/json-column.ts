/** JSON columns are text in both dialects; these are the only places that parse or write them. */
export function toJson(value: unknown): string {
  return JSON.stringify(value);
}

export function fromJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function fromNullableJson<T>(text: string | null, fallback: T): T {
  return text === null ? fallback : fromJson(text, fallback);
}

export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: number): boolean {
  return value !== 0;
}
