/**
 * Control characters made visible, for every table cell and describe value: a node writes the
 * status and events lcctl shows, so a line break or an ESC sequence in one could forge table rows
 * or drive the terminal. As Go's %q spells them: \n \r \t, other C0/C1 controls and DEL as \xHH,
 * Unicode line separators and bidirectional overrides (which reorder what is shown) as \uHHHH.
 * Backslashes are left as they are: they move no cursor.
 */
const unsafe = new RegExp('[\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]', 'g');
const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** The text with every control character replaced by a visible escape. */
export function escapeControl(text: string): string {
  unsafe.lastIndex = 0;
  if (!unsafe.test(text)) return text;
  return text.replace(unsafe, (c) => {
    const code = c.charCodeAt(0);
    return named[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
