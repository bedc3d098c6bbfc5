import { LOCAL_CHANNEL, LOCAL_TEAM } from './defaults.js';

/**
 * The sandbox's workspaces: each one's Slack team, its one channel, its sample people and its user
 * groups, and the app's global shortcuts as the page lists them. The local Slack starts with these
 * people in these channels; the page server shows one SandboxWorkspace (workspace.ts) per team.
 */

/**
 * A sample person. `admin`: an admin of their workspace (users.info `is_admin`), who may bring the
 * org's own frameworks (`/competency admin`); the page says so under the person switcher.
 */
export type SampleUser = { id: string; name: string; admin?: boolean };

/** The sandbox's people: Sam Rivera, whom the page opens on, is an admin of the workspace. */
export const SAMPLE_USERS: readonly SampleUser[] = [
  { id: 'U0SAMRIVERA', name: 'Sam Rivera', admin: true },
  { id: 'U0ALEXCHEN1', name: 'Alex Chen' },
  { id: 'U0PRIYAPATL', name: 'Priya Patel' },
];

/**
 * A user group of a sandbox workspace (Slack's `@handle` groups), which `/competency team @group` asks
 * about: the local Slack answers usergroups.list and usergroups.users.list from it, and the page's @
 * list offers it.
 */
export type SampleUserGroup = { id: string; handle: string; name: string; users: readonly string[] };

/** A workspace of the sandbox: its Slack team, its one channel, its people and its user groups. */
export type SandboxTeam = {
  id: string;
  domain: string;
  name: string;
  channel: { id: string; name: string };
  users: readonly SampleUser[];
  userGroups: readonly SampleUserGroup[];
};

/** The workspace the sandbox opens on, where the app is installed at start. */
export const SANDBOX_TEAM: SandboxTeam = {
  id: LOCAL_TEAM.id,
  domain: LOCAL_TEAM.domain,
  name: 'Sandbox Workspace',
  channel: { id: LOCAL_CHANNEL.id, name: LOCAL_CHANNEL.name },
  users: SAMPLE_USERS,
  userGroups: [
    { id: 'S0SAMPLETM1', handle: 'sample-team', name: 'Sample team', users: SAMPLE_USERS.map((u) => u.id) },
  ],
};

/** The sample people's accounts in the second workspace; Sam Rivera is its admin too. */
const SECOND_USERS: readonly SampleUser[] = [
  { id: 'U0SAMRIVER2', name: 'Sam Rivera', admin: true },
  { id: 'U0ALEXCHEN2', name: 'Alex Chen' },
  { id: 'U0PRIYAPAT2', name: 'Priya Patel' },
];

/**
 * A second workspace, where the app is not installed until someone installs it from the page. The
 * same people are members there too, with accounts (user ids) of that workspace, as in Slack.
 */
export const SECOND_TEAM: SandboxTeam = {
  id: 'T0SECONDWS1',
  domain: 'second-workspace',
  name: 'Second Workspace',
  channel: { id: 'C0SECONDCH1', name: 'general' },
  users: SECOND_USERS,
  userGroups: [
    { id: 'S0SAMPLETM2', handle: 'sample-team', name: 'Sample team', users: SECOND_USERS.map((u) => u.id) },
  ],
};

/**
 * The app's global shortcuts, as manifest.yml declares them under `features.shortcuts` (a test
 * checks that they agree): the page lists them in its shortcuts menu by the message box.
 */
export const SANDBOX_SHORTCUTS: readonly { callbackId: string; name: string; description: string }[] = [
  {
    callbackId: 'competency_lookup',
    name: 'Look up a competency',
    description: 'Choose a role, domain and level, and see what is expected',
  },
];

/**
 * The app's message shortcuts, as manifest.yml declares them under `features.shortcuts` with `type:
 * message` (a test checks that they agree): the page lists them in the "More actions" menu (⋯) of
 * each message everyone in the conversation sees.
 */
export const SANDBOX_MESSAGE_SHORTCUTS: readonly { callbackId: string; name: string; description: string }[] =
  [
    {
      callbackId: 'competency_evidence',
      name: 'Add as evidence',
      description: 'Keep a link to this message as evidence for one of your competencies',
    },
  ];
