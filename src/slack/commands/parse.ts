/**
 * What the person asked for with `/competency <text>`. The first word picks a subcommand;
 * anything else is a framework lookup, e.g. `solutions-architect senior`.
 */
export type CompetencyRequest =
  | { kind: 'help' }
  | { kind: 'list' }
  | { kind: 'history' }
  | { kind: 'share' }
  | { kind: 'export' }
  | { kind: 'forget' }
  | { kind: 'compare'; query: string }
  | { kind: 'show'; query: string };

export function parseCompetencyText(text: string): CompetencyRequest {
  const trimmed = text.trim();
  const first = trimmed.split(/\s+/, 1)[0]?.toLowerCase() ?? '';
  if (first === '' || first === 'help' || first === '?' || first === '-h' || first === '--help') {
    return { kind: 'help' };
  }
  if (first === 'list' || first === 'ls') return { kind: 'list' };
  if (first === 'history') return { kind: 'history' };
  if (first === 'share') return { kind: 'share' };
  if (first === 'export') return { kind: 'export' };
  if (first === 'forget') return { kind: 'forget' };
  if (first === 'compare') return { kind: 'compare', query: trimmed.slice(first.length).trim() };
  return { kind: 'show', query: trimmed };
}
