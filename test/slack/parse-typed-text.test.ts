import { describe, expect, it } from 'vitest';
import { parseCompetencyText, typedText } from '../../src/slack/command-text.js';

/** Slack escapes a typed `&`, `<` and `>` in a command's text; the app reads what the person typed. */
describe('the text of /competency, as Slack sends it', () => {
  it('searches and looks up what was typed: & < > unescaped, markup left as it is', () => {
    expect(parseCompetencyText('find Problem Solving &amp; Decision Making')).toEqual({
      kind: 'find',
      query: 'Problem Solving & Decision Making',
    });
    expect(parseCompetencyText('compare R&amp;D lead')).toEqual({ kind: 'compare', query: 'R&D lead' });
    expect(parseCompetencyText('a &lt;b&gt; c')).toEqual({ kind: 'show', query: 'a <b> c' });
    // Decoded once: an escaped entity stays an entity.
    expect(typedText('&amp;lt;')).toBe('&lt;');
    // A mention stays as Slack sent it, to be read as one.
    expect(parseCompetencyText('ask <@U0123|sam>')).toEqual({
      kind: 'ask',
      target: { kind: 'user', id: 'U0123', name: 'sam' },
    });
  });
});
