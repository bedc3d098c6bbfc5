import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { registerActions } from '../../src/slack/actions/index.js';
import { registerCommands } from '../../src/slack/commands/index.js';
import type { Deps } from '../../src/slack/deps.js';
import { registerEvents } from '../../src/slack/events/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

type Manifest = {
  features: {
    slash_commands: { command: string; usage_hint?: string }[];
    app_home?: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions?: { bot_events?: string[] };
    interactivity?: { is_enabled?: boolean };
    socket_mode_enabled?: boolean;
  };
};

async function manifest(): Promise<Manifest> {
  return YAML.parse(await readFile(path.join(ROOT, 'manifest.yml'), 'utf8')) as Manifest;
}

/** Records what the app registers, without starting Slack. */
function recorder() {
  const commands: string[] = [];
  const events: string[] = [];
  let actions = 0;
  const app = {
    command: (name: unknown) => {
      commands.push(String(name));
    },
    event: (name: unknown) => {
      events.push(String(name));
    },
    action: () => {
      actions++;
    },
  };
  return { app, commands, events, actions: () => actions };
}

describe('manifest.yml agrees with the code', () => {
  // Registering listeners reads nothing from the domain, so empty stand-ins are enough.
  const deps = {} as Deps;

  it('declares exactly the slash commands the code registers, each with a usage hint', async () => {
    const r = recorder();
    registerCommands(r.app as never, deps);
    const m = await manifest();
    expect(m.features.slash_commands.map((c) => c.command).sort()).toEqual([...r.commands].sort());
    for (const c of m.features.slash_commands) expect(c.usage_hint).toBeTruthy();
  });

  it('subscribes to exactly the events the code listens to', async () => {
    const r = recorder();
    registerEvents(r.app as never, deps);
    const m = await manifest();
    expect([...(m.settings.event_subscriptions?.bot_events ?? [])].sort()).toEqual([...r.events].sort());
  });

  it('enables interactivity because the code handles button clicks, and the Home tab, and Socket Mode', async () => {
    const r = recorder();
    registerActions(r.app as never, deps);
    const m = await manifest();
    expect(r.actions()).toBeGreaterThan(0);
    expect(m.settings.interactivity?.is_enabled).toBe(true);
    expect(m.features.app_home?.home_tab_enabled).toBe(true);
    expect(m.settings.socket_mode_enabled).toBe(true);
  });

  it('asks only for the scopes the code uses', async () => {
    const m = await manifest();
    expect([...m.oauth_config.scopes.bot].sort()).toEqual([
      'chat:write',
      'commands',
      'files:write',
      'im:write',
    ]);
  });
});
