import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { z } from 'zod';
import type { RoleEntry } from '../../frameworks/catalog.js';
import type { RoleRanking } from '../../frameworks/role-options.js';
import type { Framework, Level } from '../../frameworks/schema.js';
import { CallbackId, LookupId } from '../ids.js';
import { decodeValue } from '../values.js';
import { type FrameworkMessageOptions, frameworkMessage } from './framework.js';
import { escapeText, truncate } from './mrkdwn.js';

/**
 * The "Look up a competency" shortcut's form: a role menu that fills itself as the person types,
 * then — once a role is chosen — the role's domains (only when it has several) and levels; and the
 * answer, the framework at that level with its usual buttons, in place of the form.
 */

const LOOKUP_TITLE = 'Look up a competency';

/** The most options Slack shows in one menu. */
export const MAX_OPTIONS = 100;

/**
 * Values of the menu's notes (no role matched; more roles than fit). Role ids are lower-case words
 * joined by single hyphens, so no role can have these.
 */
export const NO_MATCH = ':none';
export const MORE = ':more';

/** Whether a menu value is one of the notes above rather than a role or a domain. */
export const isNote = (value: string): boolean => value.startsWith(':');

export const blockIdOf = {
  domain: (roleId: string) => `${LookupId.domain}:${roleId}`,
  level: (roleId: string) => `${LookupId.level}:${roleId}`,
};

const plain = (text: string) => ({ type: 'plain_text' as const, text });

const option = (text: string, value: string, description?: string): PlainTextOption => ({
  text: plain(truncate(text, 75)),
  value: value.slice(0, 150),
  ...(description ? { description: plain(truncate(description, 75)) } : {}),
});

/** What a role's option says under its name: its domain, or how many and which. */
function domainsLine(role: RoleEntry): string {
  const names = role.frameworks.map((f) => f.domain.name);
  return names.length === 1 ? (names[0] ?? '') : `${names.length} domains: ${names.join(', ')}`;
}

const roleOption = (role: RoleEntry): PlainTextOption => option(role.name, role.id, domainsLine(role));

/**
 * The answer to the role menu's options request: the roles that match what was typed, best first,
 * within Slack's 100 options; when none does, one option that says so kindly, and when more match
 * than fit, the last option says how many more there are.
 */
export function roleOptionsResponse(ranking: RoleRanking, typed: string): { options: PlainTextOption[] } {
  if (ranking.total === 0) {
    const shown = truncate(typed.trim().replace(/\s+/g, ' '), 30);
    return { options: [option(`No role matches '${shown}' — try fewer letters`, NO_MATCH)] };
  }
  if (ranking.total <= MAX_OPTIONS && ranking.matches.length === ranking.total) {
    return { options: ranking.matches.map((m) => roleOption(m.role)) };
  }
  const shown = ranking.matches.slice(0, MAX_OPTIONS - 1);
  const more = ranking.total - shown.length;
  return {
    options: [
      ...shown.map((m) => roleOption(m.role)),
      option(`…and ${more} more: type more of the name`, MORE),
    ],
  };
}

/** The domain menu's options when a role has more domains than a static menu holds: matched as typed. */
export function domainOptionsResponse(
  frameworks: readonly Framework[],
  typed: string,
): { options: PlainTextOption[] } {
  const query = typed.trim().toLowerCase();
  const matching = frameworks.filter(
    (f) =>
      query === '' ||
      f.domain.name.toLowerCase().includes(query) ||
      f.domain.id.includes(query) ||
      f.domain.aliases.some((a) => a.startsWith(query)),
  );
  if (matching.length === 0) {
    return {
      options: [option(`No domain matches '${truncate(typed.trim(), 30)}' — try fewer letters`, NO_MATCH)],
    };
  }
  return { options: matching.slice(0, MAX_OPTIONS).map((f) => option(f.domain.name, f.domain.id)) };
}

/** The domain menu's only option while the form shows no role (or one that is gone). */
export function chooseRoleFirstResponse(): { options: PlainTextOption[] } {
  return { options: [option('Choose a role first', NO_MATCH)] };
}

/**
 * What the form says after a choice in the role menu that is not a role there is (`found`: the
 * choice is a role of the catalog): none of the roles matched, more must be typed, or the role is
 * gone. Undefined for a role.
 */
export function roleNoticeFor(value: string | undefined, found: boolean): string | undefined {
  if (value === NO_MATCH)
    return 'No role matched what you typed. Try fewer letters, or open the menu to see every role.';
  if (value === MORE) return 'Type more of the name to find the role.';
  if (value !== undefined && !found)
    return 'That role is no longer there. Type part of a name and choose again.';
  return undefined;
}

const LookupMetadata = z.object({ r: z.string().min(1).max(130).optional() });

/** What the form remembers between updates: the role its domain and level menus are for. */
export type LookupMetadata = z.infer<typeof LookupMetadata>;

/** The form's private_metadata, or nothing when it does not parse. */
export function lookupMetadataOf(raw: string | undefined): LookupMetadata {
  return decodeValue(LookupMetadata, raw) ?? {};
}

export type LookupFormOptions = {
  /** The chosen role: its domain (when several) and level menus are shown. */
  role?: RoleEntry;
  /** The domain chosen among the role's: the level menu lists that domain's levels only. */
  domain?: Framework;
  /** A line above the menus, e.g. why the form was shown again. */
  notice?: string;
};

/** The levels of a role, across its domains, in their order (most junior first), each once. */
export function levelsOf(role: RoleEntry): Level[] {
  const seen = new Map<string, Level>();
  for (const f of role.frameworks) {
    for (const level of f.levels) {
      if (!seen.has(level.id)) seen.set(level.id, level);
    }
  }
  return [...seen.values()];
}

/** The form: the role menu, and once a role is chosen, its domain and level menus. */
export function lookupFormView(options: LookupFormOptions = {}): ModalView {
  const { role, notice } = options;
  const domain = role?.frameworks.find((f) => f === options.domain);
  const blocks: KnownBlock[] = [];
  if (notice) {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: escapeText(truncate(notice, 1000)) }],
    });
  }
  blocks.push({
    type: 'input',
    block_id: LookupId.role,
    // Choosing a role updates the form with that role's domains and levels.
    dispatch_action: true,
    label: plain('Role'),
    hint: plain('Type part of the name, such as "sol" for Solutions Architect.'),
    element: {
      type: 'external_select',
      action_id: LookupId.role,
      placeholder: plain('Choose or type a role'),
      // Opening the menu lists roles at once; each letter typed narrows it.
      min_query_length: 0,
      ...(role ? { initial_option: roleOption(role) } : {}),
    },
  });
  if (role) {
    const frameworks = role.frameworks;
    if (frameworks.length > 1) {
      const domains = frameworks.map((f) => option(f.domain.name, f.domain.id));
      const chosen = domain ? option(domain.domain.name, domain.domain.id) : undefined;
      blocks.push({
        type: 'input',
        block_id: blockIdOf.domain(role.id),
        // Choosing a domain updates the form: the level menu then lists that domain's levels.
        dispatch_action: true,
        label: plain('Domain'),
        element:
          domains.length <= MAX_OPTIONS
            ? {
                type: 'static_select',
                action_id: LookupId.domain,
                placeholder: plain('Choose a domain'),
                options: domains,
                ...(chosen ? { initial_option: chosen } : {}),
              }
            : {
                type: 'external_select',
                action_id: LookupId.domain,
                placeholder: plain('Type part of a domain'),
                min_query_length: 0,
                ...(chosen ? { initial_option: chosen } : {}),
              },
      });
    }
    const levels = (domain ? domain.levels : levelsOf(role))
      .slice(0, MAX_OPTIONS)
      .map((l) => option(l.name, l.id));
    const only = levels.length === 1 ? levels[0] : undefined;
    blocks.push({
      type: 'input',
      block_id: blockIdOf.level(role.id),
      label: plain('Level'),
      element: {
        type: 'static_select',
        action_id: LookupId.level,
        placeholder: plain('Choose a level'),
        options: levels,
        ...(only ? { initial_option: only } : {}),
      },
    });
  }
  const metadata: LookupMetadata = role ? { r: role.id } : {};
  return {
    type: 'modal',
    callback_id: CallbackId.lookup,
    title: plain(LOOKUP_TITLE),
    submit: plain('Show'),
    close: plain('Cancel'),
    private_metadata: JSON.stringify(metadata),
    blocks,
  };
}

/**
 * The answer in the modal: the framework at the level, with its usual buttons (they answer in this
 * modal), and Look up another.
 */
export function lookupAnswerView(
  framework: Framework,
  level: Level,
  options: FrameworkMessageOptions = {},
): ModalView {
  const message = frameworkMessage(framework, level, options);
  return {
    type: 'modal',
    title: plain(LOOKUP_TITLE),
    close: plain('Close'),
    blocks: [
      ...message.blocks.slice(0, 99),
      {
        type: 'actions',
        block_id: 'lookup_actions',
        elements: [{ type: 'button', action_id: LookupId.again, text: plain('Look up another') }],
      },
    ],
  };
}

/** Why the form cannot show an answer yet, by block id: Slack shows each under its menu. */
export type LookupErrors = Record<string, string>;

export const lookupErrors = {
  noRole: (): LookupErrors => ({ [LookupId.role]: 'Choose a role from the list: type part of its name.' }),
  unknownRole: (): LookupErrors => ({
    [LookupId.role]: 'That role is no longer there. Type part of a name and choose again.',
  }),
  noDomain: (role: RoleEntry): LookupErrors => ({
    [blockIdOf.domain(role.id)]: `${truncate(role.name, 60)} has several domains: choose one.`,
  }),
  noLevel: (role: RoleEntry): LookupErrors => ({ [blockIdOf.level(role.id)]: 'Choose a level.' }),
  levelNotInDomain: (role: RoleEntry, framework: Framework): LookupErrors => ({
    [blockIdOf.level(role.id)]: truncate(
      `${framework.domain.name} has ${framework.levels.map((l) => l.name).join(', ')}: choose one of those.`,
      150,
    ),
  }),
};
