/** The agent desktop's keyboard shortcuts: Alt + a letter (physical key, so any keyboard layout works). */
export type AgentAction =
  | { type: 'ready' }
  | { type: 'pause' }
  | { type: 'hangup' }
  | { type: 'dnc' }
  | { type: 'save' }
  | { type: 'dial' }
  | { type: 'skip' }
  | { type: 'notes' }
  | { type: 'manualDial' }
  | { type: 'disposition'; index: number };

export interface ShortcutDef {
  keys: string;
  code: string;
  action: AgentAction;
}

export const AGENT_SHORTCUTS: readonly ShortcutDef[] = [
  { keys: 'Alt+R', code: 'KeyR', action: { type: 'ready' } },
  { keys: 'Alt+P', code: 'KeyP', action: { type: 'pause' } },
  { keys: 'Alt+H', code: 'KeyH', action: { type: 'hangup' } },
  { keys: 'Alt+X', code: 'KeyX', action: { type: 'dnc' } },
  { keys: 'Alt+S', code: 'KeyS', action: { type: 'save' } },
  { keys: 'Alt+D', code: 'KeyD', action: { type: 'dial' } },
  { keys: 'Alt+K', code: 'KeyK', action: { type: 'skip' } },
  { keys: 'Alt+N', code: 'KeyN', action: { type: 'notes' } },
  { keys: 'Alt+M', code: 'KeyM', action: { type: 'manualDial' } },
];

export function shortcutKeys(type: AgentAction['type']): string | undefined {
  return AGENT_SHORTCUTS.find((s) => s.action.type === type)?.keys;
}

export function dispositionShortcut(index: number): string | undefined {
  return index < 9 ? `Alt+${index + 1}` : undefined;
}

export interface KeyLike {
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
}

/** The action a key press asks for, or null. Only Alt (without Ctrl/Meta) combinations count. */
export function actionForKey(event: KeyLike): AgentAction | null {
  if (!event.altKey || event.ctrlKey || event.metaKey) return null;
  const digit = /^Digit([1-9])$/.exec(event.code);
  if (digit?.[1] !== undefined) return { type: 'disposition', index: Number(digit[1]) - 1 };
  return AGENT_SHORTCUTS.find((s) => s.code === event.code)?.action ?? null;
}
