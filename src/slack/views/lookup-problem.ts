import type { Button, KnownBlock } from '@slack/types';
import type { LookupResult, Suggestion } from '../../frameworks/catalog.js';
import { ActionId } from '../ids.js';
import { type CommandValue, encodeValue } from '../values.js';
import { code, escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

type Problem = Exclude<LookupResult, { kind: 'found' } | { kind: 'empty' }>;

/**
 * A subcommand the person may have meant (`hlep` → `help`): what to type, and the button that runs
 * it, when a button may (see BUTTON_COMMANDS in values.ts; `ask` and `team` are typed).
 */
export type CommandCorrection = { typed: string; text: string; value?: CommandValue };

/**
 * A kind answer when `/competency <text>` does not name a framework and a level:
 * what was not understood, "Did you mean …?" with a button per suggestion, and how to list what exists.
 * With `command` (the text is not a role the catalog finds, and its first word is close to a
 * subcommand), the subcommand comes first, with its button, then any roles it might be.
 */
export function lookupProblemMessage(problem: Problem, command?: CommandCorrection): Message {
  const described = describe(problem);
  const { suggestions, choose } = described;
  const headline = command
    ? `I don't know ${code(`${COMMAND} ${truncate(command.typed, 100)}`)}.`
    : described.headline;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: headline } }];
  if (command) {
    const typed = code(`${COMMAND} ${truncate(command.text, 200)}`);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `Did you mean ${typed}?` } });
    if (command.value) {
      blocks.push({
        type: 'actions',
        block_id: 'command_suggestion',
        elements: [
          {
            type: 'button',
            action_id: `${ActionId.runCommand}:${command.value.c}`,
            style: 'primary',
            text: { type: 'plain_text', text: truncate(`${COMMAND} ${command.text}`, 75) },
            value: encodeValue(command.value),
          },
        ],
      });
    }
  }
  if (suggestions.length > 0) {
    const commands = suggestions.map((s) => code(`${COMMAND} ${s.query}`));
    const text = choose
      ? `Choose one:\n${commands.map((c) => `• ${c}`).join('\n')}`
      : command
        ? suggestions.length === 1
          ? `Or the role ${commands[0]}?`
          : `Or one of these roles?\n${commands.map((c) => `• ${c}`).join('\n')}`
        : suggestions.length === 1
          ? `Did you mean ${commands[0]}?`
          : `Did you mean one of these?\n${commands.map((c) => `• ${c}`).join('\n')}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
    const buttons: Button[] = suggestions.slice(0, 5).map((s, i) => ({
      type: 'button',
      action_id: `${ActionId.showFramework}:${i}`,
      text: { type: 'plain_text', text: truncate(s.label, 75) },
      value: s.query.slice(0, 2000),
    }));
    blocks.push({ type: 'actions', block_id: 'suggestions', elements: buttons });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${code(`${COMMAND} list`)} shows every framework and its levels; ${code(`${COMMAND} help`)} shows how to ask.`,
      },
    ],
  });
  const first = command?.text ?? (suggestions[0] && !choose ? suggestions[0].query : undefined);
  const plain = first === undefined ? '' : ` Did you mean ${COMMAND} ${escapeText(first)}?`;
  return { text: truncate(`${headline.replaceAll('*', '')}${plain}`, 3000), blocks };
}

/** `choose`: the input was fine but incomplete, so the suggestions are choices, not corrections. */
function describe(problem: Problem): { headline: string; suggestions: Suggestion[]; choose?: boolean } {
  switch (problem.kind) {
    case 'unknown-role':
      return {
        headline: `I couldn't find a role called *${escapeText(truncate(problem.input, 100))}*.`,
        suggestions: problem.suggestions,
      };
    case 'missing-level':
      return {
        headline: `Which level of *${escapeText(problem.framework.role.name)}* (${escapeText(problem.framework.domain.name)})? ${problem.framework.levels.map((l) => escapeText(l.name)).join(', ')}.`,
        suggestions: problem.framework.levels.map((level) => ({
          label: level.name,
          query: `${problem.framework.role.id} ${level.id} ${problem.framework.domain.id}`,
        })),
        choose: true,
      };
    case 'unknown-level':
      return {
        headline: `*${escapeText(problem.framework.role.name)}* has no level called *${escapeText(truncate(problem.input, 100))}*. Its levels are ${problem.framework.levels.map((l) => escapeText(l.name)).join(', ')}.`,
        suggestions: problem.suggestions,
      };
    case 'missing-domain':
      return {
        headline: `*${escapeText(problem.roleName)}* has frameworks for several domains: ${problem.frameworks.map((f) => escapeText(f.domain.name)).join(', ')}. Which one?`,
        suggestions: problem.suggestions,
        choose: true,
      };
    case 'unknown-domain':
      return {
        headline: `*${escapeText(problem.roleName)}* has no framework for *${escapeText(truncate(problem.input, 100))}*. It has ${problem.frameworks.map((f) => escapeText(f.domain.name)).join(', ')}.`,
        suggestions: problem.suggestions,
      };
  }
}
