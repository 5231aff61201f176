/**
 * String helpers for the per-row work of an import that skip a builtin call when it would change nothing: most
 * cells have no surrounding space and are already in the case wanted, and `trim`/`toUpperCase` cost a call each
 * (`toUpperCase` goes through ICU) even then. Each returns exactly what the builtin returns.
 */

/** `text.trim()`. */
export function trimCell(text: string): string {
  const n = text.length;
  if (n === 0) return text;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  // Below 0x80 only the C0 controls and space are white space for trim; above, leave it to the builtin.
  if (first > 32 && first < 0x80 && last > 32 && last < 0x80) return text;
  return text.trim();
}

/** `text.trim() === ''`. */
export function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  const first = text.charCodeAt(0);
  if (first > 32 && first < 0x80) return false;
  return text.trim() === '';
}

/** `text.toUpperCase()`. */
export function upperCell(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c >= 0x80) return text.toUpperCase();
  }
  return text;
}

/** `text.toLowerCase()`. */
export function lowerCell(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c >= 0x80) return text.toLowerCase();
  }
  return text;
}
