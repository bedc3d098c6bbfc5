/**
 * The guard against spreadsheet formulas in the CSV files the app and the CLI write. Spreadsheets run
 * a cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a formula,
 * so such a cell gets a leading `'` and shows as text. A cell that already starts with `'` followed
 * by one of those gets one more `'`, so that `unguardCell` can always take exactly one off again:
 * `unguardCell(guardCell(text)) === text` for every text.
 */

/** After any number of `'`: a character a spreadsheet reads as the start of a formula. */
const RISKY = /^'*[=+\-@\t\r]/;
/** What `guardCell` writes for a risky text: at least one `'`, then that character. */
const GUARDED = /^'+[=+\-@\t\r]/;

/** The text as a cell a spreadsheet shows as text: `=1+1` → `'=1+1`, `'=1` → `''=1`, `'a` as it is. */
export function guardCell(text: string): string {
  return RISKY.test(text) ? `'${text}` : text;
}

/** A cell as `guardCell` wrote it, back to its text: one leading `'` off a guarded cell, anything else as it is. */
export function unguardCell(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}
