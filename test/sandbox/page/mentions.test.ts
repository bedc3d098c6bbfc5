import { describe, expect, it } from 'vitest';
import {
  fromSlackText,
  MAX_MATCHES,
  matchMentionables,
  mentionAt,
  mentionLabel,
  slackMention,
  toSlackText,
} from '../../../src/sandbox/page/mentions.js';
import { parseAskTarget, parseCompetencyText, parseTeamRequest } from '../../../src/slack/command-text.js';

const people = [
  { id: 'U0SAMRIVERA', name: 'Sam Rivera' },
  { id: 'U0ALEXCHEN1', name: 'Alex Chen' },
  { id: 'U0PRIYAPATL', name: 'Priya Patel' },
];
const groups = [{ id: 'S0SAMPLETM1', handle: 'sample-team', name: 'Sample team', count: 3 }];
const alex = { kind: 'person', id: 'U0ALEXCHEN1', name: 'Alex Chen' } as const;
const team = { kind: 'group', id: 'S0SAMPLETM1', handle: 'sample-team', name: 'Sample team' } as const;

describe('mentionAt: the @… being typed before the caret', () => {
  it('finds an @ at the start or after a space, with what follows it', () => {
    expect(mentionAt('/competency ask @', 17)).toEqual({ start: 16, query: '' });
    expect(mentionAt('/competency ask @al', 19)).toEqual({ start: 16, query: 'al' });
    expect(mentionAt('@Alex C', 7)).toEqual({ start: 0, query: 'Alex C' });
    // the caret decides: what is after it does not count
    expect(mentionAt('/competency ask @al and more', 19)).toEqual({ start: 16, query: 'al' });
  });

  it('is nothing in an e-mail address, after a finished name, or when there is no @', () => {
    expect(mentionAt('mail sam@example.com', 20)).toBeUndefined();
    expect(mentionAt('/competency ask @Alex Chen ', 27)).toBeUndefined();
    expect(mentionAt('/competency help', 16)).toBeUndefined();
    expect(mentionAt(`@${'x'.repeat(41)}`, 42)).toBeUndefined();
  });
});

describe('matchMentionables: who the @ list offers', () => {
  it('offers everyone, then the groups, for a bare @', () => {
    expect(matchMentionables('', people, groups).map(mentionLabel)).toEqual([
      '@Sam Rivera',
      '@Alex Chen',
      '@Priya Patel',
      '@sample-team',
    ]);
  });

  it('matches the start of a name, of any of its words, or of a handle, case aside', () => {
    expect(matchMentionables('al', people, groups)).toEqual([alex]);
    expect(matchMentionables('CHEN', people, groups)).toEqual([alex]);
    expect(matchMentionables('alex c', people, groups)).toEqual([alex]);
    expect(matchMentionables('sam', people, groups).map(mentionLabel)).toEqual([
      '@Sam Rivera',
      '@sample-team',
    ]);
    expect(matchMentionables('team', people, groups)).toEqual([{ ...team, count: 3 }]);
    expect(matchMentionables('zed', people, groups)).toEqual([]);
    expect(matchMentionables('lex', people, groups)).toEqual([]); // not the middle of a word
  });

  it('offers at most a short list', () => {
    const many = Array.from({ length: 20 }, (_, i) => ({ id: `U0MANY${i}`, name: `Person ${i}` }));
    expect(matchMentionables('p', many, [])).toHaveLength(MAX_MATCHES);
  });
});

describe('toSlackText: what the app is sent', () => {
  it('sends a picked person and a picked user group as Slack does, and the app reads them', () => {
    expect(slackMention(alex)).toBe('<@U0ALEXCHEN1|Alex Chen>');
    expect(slackMention(team)).toBe('<!subteam^S0SAMPLETM1|@sample-team>');
    const ask = toSlackText('/competency ask @Alex Chen ', [alex]);
    expect(ask).toBe('/competency ask <@U0ALEXCHEN1|Alex Chen> ');
    expect(parseCompetencyText(ask.slice('/competency '.length))).toEqual({
      kind: 'ask',
      target: { kind: 'user', id: 'U0ALEXCHEN1', name: 'Alex Chen' },
    });
    const teamText = toSlackText('team @sample-team', [team]);
    expect(teamText).toBe('team <!subteam^S0SAMPLETM1|@sample-team>');
    expect(parseTeamRequest(teamText.slice('team'.length))).toEqual({
      kind: 'group',
      id: 'S0SAMPLETM1',
      label: '@sample-team',
    });
  });

  it('leaves names typed by hand, edited tokens and longer words as text', () => {
    expect(toSlackText('ask @Alex Chen', [])).toBe('ask @Alex Chen');
    expect(parseAskTarget('@alex')).toEqual({ kind: 'handle', handle: 'alex' });
    expect(toSlackText('ask @Alex Che', [alex])).toBe('ask @Alex Che');
    expect(toSlackText('team @sample-teams', [team])).toBe('team @sample-teams');
    expect(toSlackText('x@sample-team', [team])).toBe('x@sample-team');
    expect(toSlackText('ask @Alex Chen, @Alex Chen.', [alex])).toBe(
      'ask <@U0ALEXCHEN1|Alex Chen>, <@U0ALEXCHEN1|Alex Chen>.',
    );
  });

  it('prefers the longest label, and escapes names the way Slack does', () => {
    const al = { kind: 'person', id: 'U0AL0000001', name: 'Al' } as const;
    expect(toSlackText('@Al and @Alex Chen', [al, alex])).toBe(
      '<@U0AL0000001|Al> and <@U0ALEXCHEN1|Alex Chen>',
    );
    const odd = { kind: 'person', id: 'U0ODD000001', name: 'A <b>|&' } as const;
    expect(slackMention(odd)).toBe('<@U0ODD000001|A &lt;b&gt;&amp;>');
    expect(toSlackText('(@A <b>|&)', [odd])).toBe('(<@U0ODD000001|A &lt;b&gt;&amp;>)');
  });
});

describe('fromSlackText: a line of history back in the box', () => {
  it('shows mentions readable again, picked when they are of this workspace', () => {
    expect(
      fromSlackText(
        '/competency ask <@U0ALEXCHEN1|Alex Chen> team <!subteam^S0SAMPLETM1|@sample-team>',
        people,
        groups,
      ),
    ).toEqual({
      text: '/competency ask @Alex Chen team @sample-team',
      picked: [alex, { ...team, count: 3 }],
    });
    // of another workspace: readable, not picked
    expect(fromSlackText('ask <@U0ALEXCHEN2|Alex Chen> <!subteam^S0OTHER|@devs>', people, groups)).toEqual({
      text: 'ask @Alex Chen @devs',
      picked: [],
    });
    expect(fromSlackText('/competency sa senior', people, groups)).toEqual({
      text: '/competency sa senior',
      picked: [],
    });
  });
});
