import type { KnownBlock, ModalView } from '@slack/types';
import type { Framework } from '../../frameworks/schema.js';
import { FORGOTTEN_ADMIN, type OrgData } from '../../model/org-data.js';
import { orgTeamMinimum } from '../../model/team-rules.js';
import { ActionId, CallbackId } from '../ids.js';
import { blockTextLength, MESSAGE_TEXT_BUDGET } from './budget.js';
import { escapeText, truncate } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

/**
 * What an org's admins see of its frameworks and settings (`/competency admin`): its own frameworks
 * with their versions, to retire or restore; the bundled ones, to hide or show; the team-view
 * threshold; the latest changes. And the forms to bring a framework and to publish it.
 */

/**
 * How much of each part the panel shows: frameworks of each kind listed, options of each menu,
 * lines of adoption, latest changes. The fullest that fits Slack's 50 blocks and the text budget is
 * used (an org with many long-named frameworks gets fewer of each, and is told how many more).
 */
type Room = { listed: number; menu: number; adoption: number; changes: number };
const ROOMS: readonly Room[] = [
  { listed: 15, menu: 100, adoption: 12, changes: 5 },
  { listed: 10, menu: 50, adoption: 8, changes: 5 },
  { listed: 6, menu: 25, adoption: 5, changes: 3 },
  { listed: 3, menu: 10, adoption: 3, changes: 2 },
  { listed: 0, menu: 0, adoption: 0, changes: 0 },
];
/** Slack allows 50 blocks in a message. */
const MAX_BLOCKS = 50;

/** The block of the file input in the Add a framework form, and its element. */
export const UploadId = { block: 'framework_file_block', file: 'framework_file' } as const;

/** The file types the Add a framework form accepts (Slack's names for them). */
const FILE_TYPES = ['csv', 'tsv', 'yaml', 'yml', 'text', 'txt', 'html', 'htm'];

export type AdminPanel = {
  data: Readonly<OrgData>;
  /** Every framework the org's people see, for the Export as CSV menu. */
  seen: readonly Framework[];
  /** Adoption: people who finished an assessment per framework, level and month, only cells of K or more. */
  adoption: {
    k: number;
    counts: readonly { frameworkId: string; levelId: string; month: string; people: number }[];
  };
  /** The workspace's user groups, to choose the editors from; undefined for an editor (who may not). */
  userGroups?: readonly { id: string; label: string }[] | undefined;
  /** The frameworks that come with the app, hidden or not. */
  bundled: readonly Framework[];
  /** The org's own frameworks as people see them now (the newest version of each in use). */
  own: readonly Framework[];
  /** The server's least team-view threshold (TEAM_MIN_PEOPLE). */
  serverTeamMinimum: number;
};

export function adminMessage(panel: AdminPanel): Message {
  for (const room of ROOMS) {
    const message = buildPanel(panel, room);
    if (message.blocks.length <= MAX_BLOCKS && blockTextLength(message.blocks) <= MESSAGE_TEXT_BUDGET)
      return message;
  }
  return buildPanel(panel, ROOMS.at(-1) as Room);
}

function buildPanel(panel: AdminPanel, room: Room): Message {
  const { data, bundled, own, seen, serverTeamMinimum } = panel;
  const exportable = seen.slice(0, room.menu).map((f) => ({
    text: { type: 'plain_text' as const, text: truncate(`${f.role.name} · ${f.domain.name}`, 75) },
    value: f.id,
  }));
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Frameworks of your organisation' } },
    context(
      'Only admins, owners and the framework editors they choose see this and can change it. Every change is logged with who made it. People see the frameworks that come with the app and your own, never another organisation’s.',
    ),
    {
      type: 'actions',
      block_id: 'admin_actions',
      elements: [
        {
          type: 'button',
          action_id: ActionId.adminAddFramework,
          text: { type: 'plain_text', text: 'Add a framework' },
          style: 'primary',
        },
        ...(exportable.length === 0
          ? []
          : [
              {
                type: 'static_select' as const,
                action_id: ActionId.adminExport,
                placeholder: { type: 'plain_text' as const, text: 'Export one as CSV…' },
                options: exportable,
              },
            ]),
      ],
    },
    { type: 'divider' },
    section('*Your own frameworks*'),
  ];

  if (data.frameworks.length === 0) {
    blocks.push(
      context(
        'None yet. Add one from a CSV or TSV table, a framework file (YAML) or a saved framework page: the app checks it and shows you a preview before anyone sees it.',
      ),
    );
  }
  for (const entry of data.frameworks.slice(0, room.listed)) {
    const newest = entry.versions.at(-1);
    const shown = own.find((f) => f.id === entry.id);
    const name = shown
      ? `*${escapeText(shown.role.name)}* · ${escapeText(shown.domain.name)}`
      : `*${entry.id}*`;
    const state = entry.retired ? ` · _retired on ${day(entry.retired.at)}_` : '';
    const versions = entry.versions.length === 1 ? '' : ` (${entry.versions.length} versions kept)`;
    const published = newest
      ? `Version ${escapeText(newest.version)}${versions}, published by ${who(newest.publishedBy)} on ${day(newest.publishedAt)}`
      : '';
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: truncate(`${name}${state}\n${published}`, 3000) },
      accessory: {
        type: 'button',
        action_id: `${ActionId.adminFramework}:${entry.retired ? 'restore' : 'retire'}`,
        text: { type: 'plain_text', text: entry.retired ? 'Restore' : 'Retire' },
        value: entry.id,
      },
    });
  }
  if (data.frameworks.length > room.listed) {
    blocks.push(context(`…and ${data.frameworks.length - room.listed} more, not listed here.`));
  }

  blocks.push({ type: 'divider' }, section('*Frameworks that come with the app*'));
  for (const framework of bundled.slice(0, room.listed)) {
    const hidden = data.hiddenBundled.includes(framework.id);
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${escapeText(framework.role.name)}* · ${escapeText(framework.domain.name)}${hidden ? ' · _hidden from your organisation_' : ''}`,
      },
      accessory: {
        type: 'button',
        action_id: `${ActionId.adminBundled}:${hidden ? 'show' : 'hide'}`,
        text: { type: 'plain_text', text: hidden ? 'Show' : 'Hide' },
        value: framework.id,
      },
    });
  }
  if (bundled.length > room.listed)
    blocks.push(context(`…and ${bundled.length - room.listed} more, not listed here.`));

  const chosen = data.settings.teamViewMinimum;
  const k = orgTeamMinimum(serverTeamMinimum, data.settings);
  const serverOption = {
    text: { type: 'plain_text' as const, text: `This server's (${serverTeamMinimum})` },
    value: 'server',
  };
  const options = [
    serverOption,
    ...range(Math.max(3, serverTeamMinimum), 10).map((n) => ({
      text: { type: 'plain_text' as const, text: `${n} people` },
      value: String(n),
    })),
  ];
  blocks.push(
    { type: 'divider' },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Team views* show a role and level only when at least *${k}* people shared theirs (this server never allows fewer than ${serverTeamMinimum}).`,
      },
      accessory: {
        type: 'static_select',
        action_id: ActionId.adminTeamMinimum,
        placeholder: { type: 'plain_text', text: 'Choose' },
        options,
        initial_option:
          options.find((o) => o.value === (chosen === undefined ? 'server' : String(chosen))) ?? serverOption,
      },
    },
  );

  blocks.push(
    cadenceBlock(data.settings.cadence),
    editorsBlock(data.settings.editorsGroup, panel.userGroups, room.menu),
    { type: 'divider' },
    adoptionBlock(panel, room.adoption),
  );

  const latest = room.changes === 0 ? [] : data.log.slice(-room.changes).reverse();
  if (latest.length > 0) {
    blocks.push(
      { type: 'divider' },
      context(
        truncate(
          `*Latest changes*\n${latest.map((c) => `${day(c.at)} · ${who(c.by)} ${escapeText(truncate(c.what, 150))}`).join('\n')}`,
          3000,
        ),
      ),
    );
  }
  return { text: 'Frameworks of your organisation', blocks };
}

/** The acknowledgement of `/competency admin`, while Slack is asked whether the person is an admin. */
export function adminCheckingMessage(): Message {
  const text = 'Opening your organisation’s frameworks…';
  return { text, blocks: [context(text)] };
}

/** Adoption: the latest months first, named from what the org sees; nothing about cells below K. */
function adoptionBlock(panel: AdminPanel, most: number): KnownBlock {
  const { k, counts } = panel.adoption;
  const names = new Map(panel.seen.map((f) => [f.id, f]));
  const lines = counts.slice(0, most).map((c) => {
    const framework = names.get(c.frameworkId);
    const level = framework?.levels.find((l) => l.id === c.levelId);
    const what = framework
      ? `${escapeText(framework.role.name)} · ${escapeText(level?.name ?? c.levelId)}`
      : c.frameworkId;
    return `${c.month} · ${what}: ${c.people} people`;
  });
  const rule = `Only a month, role and level that at least ${k} people finished an assessment of is shown (the team-view threshold): counts, never who.`;
  const body = lines.length > 0 ? lines.join('\n') : '_Nothing to show yet._';
  return context(
    truncate(`*Who rates*: people who finished an assessment, per month\n${body}\n${rule}`, 3000),
  );
}

/** The check-in cadence offered first to people who have none. */
function cadenceBlock(current: 'monthly' | 'quarterly' | undefined): KnownBlock {
  const options = [
    { text: { type: 'plain_text' as const, text: 'No suggestion' }, value: 'none' },
    { text: { type: 'plain_text' as const, text: 'Monthly' }, value: 'monthly' },
    { text: { type: 'plain_text' as const, text: 'Quarterly' }, value: 'quarterly' },
  ];
  const [none] = options;
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: `*Check-ins*: ${current ? `people with none are offered *${current}* first` : 'no cadence is suggested'}; everyone still chooses their own.`,
    },
    accessory: {
      type: 'static_select',
      action_id: ActionId.adminCadence,
      placeholder: { type: 'plain_text', text: 'Choose' },
      options,
      ...(none ? { initial_option: options.find((o) => o.value === (current ?? 'none')) ?? none } : {}),
    },
  };
}

/** Who else may change the frameworks: a user group, chosen by an admin (editors only see it). */
function editorsBlock(
  current: string | undefined,
  groups: AdminPanel['userGroups'],
  most: number,
): KnownBlock {
  const who = current ? `the members of <!subteam^${current}>` : 'nobody else';
  const text = `*Framework editors*: besides admins and owners, ${who} may change your organisation's frameworks.`;
  if (groups === undefined) return section(text);
  const nobody = { text: { type: 'plain_text' as const, text: 'Nobody else' }, value: 'nobody' };
  const options = [
    nobody,
    ...groups
      .slice(0, Math.max(0, Math.min(99, most - 1)))
      .map((g) => ({ text: { type: 'plain_text' as const, text: truncate(g.label, 75) }, value: g.id })),
  ];
  return {
    type: 'section',
    text: { type: 'mrkdwn', text },
    accessory: {
      type: 'static_select',
      action_id: ActionId.adminEditors,
      placeholder: { type: 'plain_text', text: 'Choose' },
      options,
      initial_option: options.find((o) => o.value === (current ?? 'nobody')) ?? nobody,
    },
  };
}

/** Said to anyone who is not an admin and asks for the panel, or whose click or form claims to be one. */
export function notAdminMessage(): Message {
  const text = `Only the admins and owners of this workspace (or of its Enterprise Grid org), and the framework editors they choose, can change your organisation's frameworks. Ask one of them, or type \`${COMMAND} list\` to see the frameworks you can use.`;
  return { text, blocks: [section(text)] };
}

/** The form to bring a framework: one file. */
export function uploadModal(problems: readonly string[] = []): ModalView {
  return {
    type: 'modal',
    callback_id: CallbackId.uploadFramework,
    title: { type: 'plain_text', text: 'Add a framework' },
    submit: { type: 'plain_text', text: 'Check it' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        'Choose a *CSV* or *TSV* table, a framework file (*YAML*), or a *saved framework page* (text or HTML). The app checks it as `competency validate` and `competency import` do, and shows you a preview: nobody sees it until you press *Publish*.',
      ),
      {
        type: 'input',
        block_id: UploadId.block,
        label: { type: 'plain_text', text: 'The file' },
        element: { type: 'file_input', action_id: UploadId.file, filetypes: FILE_TYPES, max_files: 1 },
      },
      ...(problems.length > 0 ? [context(truncate(problems.join('\n'), 3000))] : []),
      context(
        'A new version of one of your frameworks keeps the role and domain ids and changes `version`. Assessments made against an earlier version keep what it expected.',
      ),
    ],
  };
}

/** What the form says under the file when it cannot be published: the first problems, one per line. */
export function uploadProblemsText(problems: readonly string[]): string {
  const shown = problems.slice(0, 5).map((p) => truncate(p, 300));
  const more = problems.length > shown.length ? `\n…and ${problems.length - shown.length} more` : '';
  // Slack shows an input's error under it, in a few lines: the first problems, then how many more.
  return truncate(`Nothing was kept. ${shown.join('\n')}${more}`, 2000);
}

/** The file that passed the checks, as its preview remembers it (private_metadata). */
export type UploadedFile = { id: string; name: string };

/** The preview: what people would see, and Publish or Cancel. */
export function previewModal(
  framework: Framework,
  replaces: Framework | undefined,
  file: UploadedFile,
): ModalView {
  const tracks = framework.tracks?.map((t) => escapeText(t.name)).join(', ');
  const levels = framework.levels.map((l) => escapeText(l.name)).join(' → ');
  const lines = framework.competencies.map((c) => {
    const expected = framework.levels.map((l) => c.expected[l.id] ?? '–').join(' ');
    return `• *${escapeText(c.name)}* (${c.tier}, ${escapeText(c.category)}): ${expected}`;
  });
  const competencies: KnownBlock[] = [];
  for (let i = 0; i < lines.length; i += 8) {
    competencies.push(section(truncate(lines.slice(i, i + 8).join('\n'), 3000)));
  }
  const about = replaces
    ? `A new version of *${escapeText(replaces.role.name)}*: version ${escapeText(framework.version)} in place of ${escapeText(replaces.version)}. Assessments made against ${escapeText(replaces.version)} keep what it expected.`
    : `A new framework for your organisation, version ${escapeText(framework.version)}.`;
  return {
    type: 'modal',
    callback_id: CallbackId.publishFramework,
    private_metadata: JSON.stringify(file),
    title: { type: 'plain_text', text: 'Preview' },
    submit: { type: 'plain_text', text: 'Publish' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(
        truncate(
          `*${escapeText(framework.role.name)}* · ${escapeText(framework.domain.name)}\n${about}`,
          3000,
        ),
      ),
      context(
        truncate(
          [
            `Role id \`${framework.role.id}\`, domain id \`${framework.domain.id}\`: people type \`${COMMAND} ${framework.role.id} <level>\`.`,
            ...(tracks ? [`Tracks: ${tracks}`] : []),
            `Levels: ${levels}`,
            `${framework.competencies.length} competencies; expected levels below, in the order of the levels.`,
          ].join('\n'),
          3000,
        ),
      ),
      ...competencies,
    ].slice(0, 100),
  };
}

/** Offered in an admin's DM with the app when they share a file there. */
export function useFileMessage(file: UploadedFile): Message {
  const text = `Use *${escapeText(truncate(file.name, 200))}* as a framework for your organisation? The app checks it and shows you a preview first; nobody sees it until you publish it.`;
  return {
    text: `Use ${file.name} as a framework?`,
    blocks: [
      section(text),
      {
        type: 'actions',
        block_id: 'admin_use_file',
        elements: [
          {
            type: 'button',
            action_id: ActionId.adminUseFile,
            text: { type: 'plain_text', text: 'Use as a framework' },
            value: JSON.stringify({ id: file.id, name: file.name.slice(0, 255) }),
          },
        ],
      },
    ],
  };
}

/** What is wrong with a file offered in the DM, or why it could not be read: nothing was kept. */
export function fileProblemsMessage(name: string, problems: readonly string[]): Message {
  const text = `*${escapeText(truncate(name, 200))}* cannot be published as it is. ${escapeText(uploadProblemsText(problems))}`;
  return { text: `${name} cannot be published as it is.`, blocks: [section(truncate(text, 3000))] };
}

/** Said once a framework is published, in the admin's direct messages. */
export function publishedMessage(name: string, version: string, roleId: string, first: boolean): Message {
  const text = first
    ? `Published *${escapeText(name)}*, version ${escapeText(version)}. People in your organisation can look it up now: \`${COMMAND} ${roleId} <level>\`.`
    : `Published version ${escapeText(version)} of *${escapeText(name)}*. New assessments use it; those made before keep what their version expected.`;
  return { text, blocks: [section(text)] };
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

function context(text: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** An admin, as a mention; one who deleted their data since, in words. */
function who(userId: string): string {
  return userId === FORGOTTEN_ADMIN ? 'an admin who has since deleted their data' : `<@${userId}>`;
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}
