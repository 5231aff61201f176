import type { ReactNode } from 'react';

/** A visible shortcut hint inside a button, hidden from the accessible name (the name stays exactly the label). */
export function KbdHint({ keys }: { keys: string | undefined }): ReactNode {
  if (keys === undefined) return null;
  return (
    <kbd className="kbd" aria-hidden="true">
      {keys}
    </kbd>
  );
}
