import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { SANDBOX_MESSAGE_SHORTCUTS, SANDBOX_SHORTCUTS } from '../../src/sandbox/teams.js';
import { BOT_SCOPES } from '../../src/slack/app.js';
import type { Deps } from '../../src/slack/deps.js';
import { EVENT_TYPES } from '../../src/slack/events/index.js';
import { routeMatches } from '../../src/slack/ids.js';
import {
  registerActions,
  registerCommands,
  registerEvents,
  registerShortcuts,
} from '../../src/slack/listeners.js';
import { shortcutListeners } from '../../src/slack/shortcuts/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** One workspace, Socket Mode. */
const SINGLE = 'manifest.yml';
/** Many workspaces and Enterprise Grid orgs, through OAuth over HTTP. */
const DISTRIBUTED = 'manifest.distributed.yml';
const MANIFESTS = [SINGLE, DISTRIBUTED];

/** Slack's published JSON Schema for manifests of major version 1; its source is in the README beside it. */
const SCHEMA = 'test/fixtures/slack-manifest-schema/manifest.schema.1.0.0.json';

type Manifest = {
  _metadata?: { major_version?: number; minor_version?: number };
  display_information: { name: string; description?: string; long_description?: string };
  features: {
    slash_commands: { command: string; url?: string; usage_hint?: string }[];
    app_home?: { home_tab_enabled?: boolean };
    bot_user?: { display_name: string };
    shortcuts?: { name: string; type: 'global' | 'message'; callback_id: string; description: string }[];
  };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled?: boolean; request_url?: string; message_menu_options_url?: string };
    org_deploy_enabled?: boolean;
    socket_mode_enabled?: boolean;
    token_rotation_enabled?: boolean;
  };
};

async function load(file: string): Promise<Manifest> {
  return YAML.parse(await readFile(path.join(ROOT, file), 'utf8')) as Manifest;
}

/** Records what the app registers, without starting Slack. */
function recorder() {
  const commands: string[] = [];
  const events: string[] = [];
  const shortcuts: string[] = [];
  const shortcutRoutes: (string | RegExp)[] = [];
  const options: string[] = [];
  let actions = 0;
  const app = {
    shortcut: (callbackId: string | RegExp) => {
      shortcuts.push(String(callbackId));
      shortcutRoutes.push(callbackId);
    },
    options: (actionId: unknown) => {
      options.push(String(actionId));
    },
    view: () => {},
    command: (name: unknown) => {
      commands.push(String(name));
    },
    event: (name: unknown) => {
      events.push(name instanceof RegExp ? name.source : String(name));
    },
    action: () => {
      actions++;
    },
  };
  return { app, commands, events, shortcuts, shortcutRoutes, options, actions: () => actions };
}

async function schemaValidator(): Promise<ValidateFunction> {
  const schema = JSON.parse(await readFile(path.join(ROOT, SCHEMA), 'utf8')) as object;
  const ajv = new Ajv({
    allErrors: true,
    // Upstream puts minItems on a string, in external auth providers, which this app does not use.
    strictTypes: false,
    // Only the optional top-level $schema key has a format.
    formats: { uri: (value: string) => URL.canParse(value) },
    keywords: [
      // Upstream's comments.
      '_note',
      // Upstream writes background_color's pattern as "regex", which is not JSON Schema: check it as a pattern.
      {
        keyword: 'regex',
        type: 'string',
        schemaType: 'string',
        validate: (pattern: string, value: string) => new RegExp(pattern).test(value),
      },
    ],
  });
  return ajv.compile(schema);
}

function explain(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword}`);
}

/** A copy of a manifest with the value at keyPath replaced, or removed when value is undefined. */
function changed(manifest: Manifest, keyPath: string[], value: unknown): unknown {
  const copy = structuredClone(manifest) as unknown as Record<string, unknown>;
  let at = copy;
  for (const key of keyPath.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keyPath[keyPath.length - 1] as string;
  if (value === undefined) delete at[last];
  else at[last] = value;
  return copy;
}

/** Every URL that Slack sends requests to: each `url` or `*_url` key anywhere in the manifest. */
function requestUrls(value: unknown, at = ''): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((item, i) => requestUrls(item, `${at}.${i}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]): [string, string][] => {
    const where = at ? `${at}.${key}` : key;
    if ((key === 'url' || key.endsWith('_url')) && typeof inner === 'string') return [[where, inner]];
    return requestUrls(inner, where);
  });
}

/** The manifest without the settings that only an app installed through OAuth over HTTP has. */
function withoutDeployment(manifest: Manifest): Manifest {
  const m = structuredClone(manifest);
  for (const command of m.features.slash_commands) delete command.url;
  delete m.oauth_config.redirect_urls;
  delete m.settings.event_subscriptions?.request_url;
  delete m.settings.interactivity?.request_url;
  delete m.settings.interactivity?.message_menu_options_url;
  delete m.settings.org_deploy_enabled;
  delete m.settings.socket_mode_enabled;
  delete m.settings.token_rotation_enabled;
  return m;
}

describe.each(MANIFESTS)('%s agrees with the code', (file) => {
  // Registering listeners reads nothing from the domain, so empty stand-ins are enough.
  const deps = {} as Deps;

  it('declares exactly the slash commands the code registers, each with a usage hint', async () => {
    const r = recorder();
    registerCommands(r.app as never, deps);
    const m = await load(file);
    expect(m.features.slash_commands.map((c) => c.command).sort()).toEqual([...r.commands].sort());
    for (const c of m.features.slash_commands) expect(c.usage_hint).toBeTruthy();
  });

  it('subscribes to exactly the events the code listens to', async () => {
    const r = recorder();
    registerEvents(r.app as never, deps);
    const m = await load(file);
    const subscribed = [...(m.settings.event_subscriptions?.bot_events ?? [])].sort();
    expect(subscribed).toEqual([...EVENT_TYPES].sort());
    // One registration, whose pattern takes those events and nothing else.
    expect(r.events).toHaveLength(1);
    const pattern = new RegExp(r.events[0] ?? '');
    for (const event of subscribed) expect(pattern.test(event), event).toBe(true);
    for (const other of ['message', 'app_mention', 'app_home_opened_extra', 'xapp_uninstalled'])
      expect(pattern.test(other), other).toBe(false);
  });

  it('enables interactivity because the code handles button clicks, and the Home tab', async () => {
    const r = recorder();
    registerActions(r.app as never, deps);
    const m = await load(file);
    expect(r.actions()).toBeGreaterThan(0);
    expect(m.settings.interactivity?.is_enabled).toBe(true);
    expect(m.features.app_home?.home_tab_enabled).toBe(true);
  });

  it('declares exactly the shortcuts the code registers, global and on messages, as the sandbox page lists them', async () => {
    const r = recorder();
    registerShortcuts(r.app as never, deps);
    const m = await load(file);
    const declared = m.features.shortcuts ?? [];
    expect(declared.every((s) => s.type === 'global' || s.type === 'message')).toBe(true);
    // One registration for every shortcut (listeners.ts): it claims each declared id, and the table has no other.
    const ids = declared.map((s) => s.callback_id);
    expect(ids.every((id) => r.shortcutRoutes.some((route) => routeMatches(route, id)))).toBe(true);
    expect(Object.keys(shortcutListeners(deps)).sort()).toEqual([...ids].sort());
    const listed = (type: 'global' | 'message') =>
      declared
        .filter((s) => s.type === type)
        .map((s) => ({ callbackId: s.callback_id, name: s.name, description: s.description }));
    expect(listed('global')).toEqual(SANDBOX_SHORTCUTS);
    expect(listed('message')).toEqual(SANDBOX_MESSAGE_SHORTCUTS);
    // The shortcut's form has menus the app fills: options requests must reach it.
    expect(r.options.length).toBeGreaterThan(0);
    expect(m.settings.interactivity?.is_enabled).toBe(true);
  });

  it('asks only for the scopes the code uses', async () => {
    const m = await load(file);
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([
      'canvases:write',
      'channels:read',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'groups:read',
      'im:write',
      'usergroups:read',
      'users:read',
    ]);
  });

  it('asks for exactly the scopes the app asks for when installed through OAuth (BOT_SCOPES)', async () => {
    const m = await load(file);
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([...BOT_SCOPES].sort());
  });

  it('says in the usage hint how to ask for a team view', async () => {
    const m = await load(file);
    expect(m.features.slash_commands[0]?.usage_hint).toContain('team [@group]');
  });
});

describe("Slack's app manifest schema", () => {
  let validate: ValidateFunction;
  beforeAll(async () => {
    validate = await schemaValidator();
  });

  it.each(MANIFESTS)('accepts %s', async (file) => {
    const m = await load(file);
    // The vendored schema is the one for major version 1.
    expect(m._metadata?.major_version).toBe(1);
    validate(m);
    expect(explain(validate.errors)).toEqual([]);
  });

  // So that the check above can fail: each of these is a mistake Slack would refuse.
  const mistakes: [string, string[], unknown][] = [
    ['no display information', ['display_information'], undefined],
    ['a name longer than 35 characters', ['display_information', 'name'], 'C'.repeat(36)],
    ['a long description shorter than 175 characters', ['display_information', 'long_description'], 'Short.'],
    ['a background colour that is not a hex colour', ['display_information', 'background_color'], 'navy'],
    ['a command without its slash', ['features', 'slash_commands', '0', 'command'], 'competency'],
    [
      'a request URL without its scheme',
      ['settings', 'interactivity', 'request_url'],
      'example.com/slack/events',
    ],
    [
      'an event listed twice',
      ['settings', 'event_subscriptions', 'bot_events'],
      ['app_home_opened', 'app_home_opened'],
    ],
    ['a setting that is not a boolean', ['settings', 'socket_mode_enabled'], 'no'],
    ['a misspelt key', ['settings', 'event_subscription'], {}],
  ];
  it.each(mistakes)('refuses a manifest with %s', async (_, keyPath, value) => {
    const m = await load(DISTRIBUTED);
    expect(validate(changed(m, keyPath, value))).toBe(false);
  });
});

describe(`${SINGLE} runs in one workspace over Socket Mode`, () => {
  it('turns Socket Mode on and needs no public URL', async () => {
    const m = await load(SINGLE);
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(requestUrls(m)).toEqual([]);
    expect(m.oauth_config.redirect_urls).toBeUndefined();
  });

  it('keeps one non-expiring bot token, installed in one workspace', async () => {
    const m = await load(SINGLE);
    // With rotation on, the SLACK_BOT_TOKEN this mode is given would expire after 12 hours.
    expect(m.settings.token_rotation_enabled).toBe(false);
    expect(m.settings.org_deploy_enabled).toBe(false);
  });
});

describe(`${DISTRIBUTED} installs through OAuth over HTTP`, () => {
  it('turns Socket Mode off, and org-wide deployment and token rotation on', async () => {
    const m = await load(DISTRIBUTED);
    expect(m.settings.socket_mode_enabled).toBe(false);
    expect(m.settings.org_deploy_enabled).toBe(true);
    expect(m.settings.token_rotation_enabled).toBe(true);
  });

  it('subscribes to the Home tab opening, to being uninstalled or having its tokens revoked, and to files shared', async () => {
    const m = await load(DISTRIBUTED);
    expect([...(m.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual([
      'app_home_opened',
      'app_uninstalled',
      'file_shared',
      'tokens_revoked',
    ]);
  });

  it('redirects the OAuth flow to /slack/oauth_redirect over https', async () => {
    const m = await load(DISTRIBUTED);
    const redirects = m.oauth_config.redirect_urls ?? [];
    expect(redirects.length).toBeGreaterThan(0);
    for (const r of redirects) {
      const url = new URL(r);
      expect(url.protocol, r).toBe('https:');
      expect(`${url.pathname}${url.search}${url.hash}`, r).toBe('/slack/oauth_redirect');
    }
  });

  it('sends events, interactivity and every slash command to /slack/events, on the host it redirects to', async () => {
    const m = await load(DISTRIBUTED);
    const urls = requestUrls(m);
    expect(urls.map(([where]) => where).sort()).toEqual(
      [
        'settings.event_subscriptions.request_url',
        'settings.interactivity.request_url',
        // Options requests of the menus the app fills (the role menu of "Look up a competency").
        'settings.interactivity.message_menu_options_url',
        ...m.features.slash_commands.map((_, i) => `features.slash_commands.${i}.url`),
      ].sort(),
    );
    for (const [where, u] of urls) {
      const url = new URL(u);
      expect(url.protocol, where).toBe('https:');
      expect(`${url.pathname}${url.search}${url.hash}`, where).toBe('/slack/events');
    }
    const hosts = new Set(
      [...urls.map(([, u]) => u), ...(m.oauth_config.redirect_urls ?? [])].map((u) => new URL(u).host),
    );
    expect([...hosts]).toHaveLength(1);
  });
});

describe('the two manifests describe the same app', () => {
  it('with the same name, bot user, commands, scopes, Home tab and events', async () => {
    const [single, distributed] = await Promise.all([load(SINGLE), load(DISTRIBUTED)]);
    expect(distributed.display_information).toEqual(single.display_information);
    expect(distributed.features.bot_user).toEqual(single.features.bot_user);
    expect(distributed.features.slash_commands.map((c) => c.command)).toEqual(
      single.features.slash_commands.map((c) => c.command),
    );
    expect(distributed.oauth_config.scopes).toEqual(single.oauth_config.scopes);
    expect(distributed.features.app_home).toEqual(single.features.app_home);
    expect(distributed.features.shortcuts).toEqual(single.features.shortcuts);
    expect(distributed.settings.event_subscriptions?.bot_events).toEqual(
      single.settings.event_subscriptions?.bot_events,
    );
  });

  it('and differ only in the URLs, OAuth redirect, Socket Mode, org-wide deployment and token rotation', async () => {
    const [single, distributed] = await Promise.all([load(SINGLE), load(DISTRIBUTED)]);
    expect(withoutDeployment(distributed)).toEqual(withoutDeployment(single));
  });
});
