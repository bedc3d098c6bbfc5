import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger, type LogLevel } from '../log.js';
import { personKey } from '../model/person.js';
import type { Clock } from '../reminders/scheduler.js';
import { type Running, StartError } from '../start.js';
import { SANDBOX_HOST } from './defaults.js';
import { appUninstalledEnvelope } from './event-envelopes.js';
import { type ApiCall, type LocalSlack, startLocalSlack } from './local-slack.js';
import { createPageServer, listen, type Sandbox } from './page-server.js';
import { installAtStart, SANDBOX_TEAM_MIN_PEOPLE, type SandboxSecrets, startApp } from './sandbox-app.js';
import { sendEvent } from './signing.js';
import { SANDBOX_TEAM, type SandboxTeam, SECOND_TEAM } from './teams.js';
import { SandboxWorkspace } from './workspace.js';

/**
 * `npm start` without Slack credentials: the real app, in HTTP mode on 127.0.0.1, pointed at a local
 * stand-in for Slack, and a web page that plays the part of the Slack client. The app is started
 * exactly as with real Slack (same code, same configuration checks); only the URLs differ
 * (sandbox-app.ts). The page's server is page-server.ts; each workspace it shows is a SandboxWorkspace.
 *
 * It runs the way an app installed into many workspaces runs (distributed mode: Slack's OAuth flow,
 * one installation per workspace), with made-up OAuth credentials for the session. The local Slack
 * has two workspaces. At start the app is installed into the sandbox's own workspace through the
 * real install flow (install page → Slack's authorize page → back to the app), so the page works at
 * once; the second workspace starts without the app, and the page shows how to add it (the app's own
 * install page, in a new tab) and how to remove it again (Slack tells the app, which deletes that
 * workspace's data). A workspace that had the app when the sandbox last stopped has it again.
 */

/** The workspaces of the sandbox; the page opens on the first. */
const TEAMS: readonly SandboxTeam[] = [SANDBOX_TEAM, SECOND_TEAM];
/** How long an install or a removal may take the app before the sandbox gives up waiting. */
const SETTLE_MS = 10_000;

export type SandboxRunning = {
  url: string;
  stop: () => Promise<void>;
  /** The workspace the page opens on, where the app is installed at start. */
  workspace: SandboxWorkspace;
  /** Every workspace of the sandbox, the default one first. */
  workspaces: readonly SandboxWorkspace[];
  /** The app's own install page (GET /slack/install), which a browser opens to add it to a workspace. */
  installUrl: string;
  /** The local Slack the app talks to: for tests, which look at what it was asked and what it knows. */
  slack: LocalSlack;
};

/**
 * The clock check-in reminders go by in the sandbox: the system's, moved forward while "Send due
 * check-ins now" runs, so a newcomer sees a reminder without waiting a quarter.
 */
class SandboxClock implements Clock {
  offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)).unref());
  }
}

/** The sandbox's people are where the person trying it is: their computer's time zone. */
const LOCAL_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export async function startSandbox(
  env: Record<string, string | undefined>,
  options: { print?: (line: string) => void } = {},
): Promise<SandboxRunning> {
  const loaded = loadConfig(env);
  if (!loaded.ok)
    throw new StartError(['The sandbox cannot start; please fix:', ...loaded.problems.map((p) => `  ${p}`)]);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = createLogger(loaded.config.logLevel as LogLevel);

  // Made up for this session, like a Slack app's credentials; never printed or kept.
  const secrets: SandboxSecrets = {
    clientId: `${randomInt(1e9, 1e10)}.${randomInt(1e9, 1e10)}${randomInt(100, 1000)}`,
    clientSecret: randomBytes(16).toString('hex'),
    stateSecret: randomBytes(24).toString('hex'),
    signingSecret: randomBytes(24).toString('hex'),
    tokenKey: randomBytes(32).toString('base64'),
  };
  const slack = await startLocalSlack({
    team: { id: SANDBOX_TEAM.id, domain: SANDBOX_TEAM.domain, name: SANDBOX_TEAM.name },
    workspaces: TEAMS.map((t) => ({ id: t.id, domain: t.domain, name: t.name })),
    oauth: { clientId: secrets.clientId, clientSecret: secrets.clientSecret, appName: 'Competency' },
  });
  for (const team of TEAMS) {
    for (const user of team.users) {
      slack.setUserTimeZone(user.id, LOCAL_TIME_ZONE);
      // The admin of each workspace (Sam Rivera, whom the page opens on) may bring the org's own frameworks.
      if (user.admin === true) slack.setAdmin(user.id, 'admin');
    }
    // Each workspace's user group of its sample people, for /competency team @group.
    for (const group of team.userGroups) {
      slack.setUserGroup(group.id, group.users, { handle: group.handle, name: group.name, teamId: team.id });
    }
  }
  const reminderClock = new SandboxClock();
  let running: Running;
  let appUrl: string;
  try {
    ({ running, appUrl } = await startApp(env, slack, secrets, logger, reminderClock));
  } catch (error) {
    await slack.close();
    throw error;
  }
  const eventsUrl = `${appUrl}/slack/events`;
  const installUrl = `${appUrl}/slack/install`;
  const workspaces = TEAMS.map(
    (team) => new SandboxWorkspace(slack, { eventsUrl, signingSecret: secrets.signingSecret }, team),
  );
  const [workspace] = workspaces;
  if (!workspace) throw new Error('the sandbox has no workspace');

  try {
    await installAtStart(running, slack, installUrl, TEAMS);
  } catch (error) {
    await running.stop();
    await slack.close();
    throw error;
  }

  const inStore = async (teamId: string) => (await running.store.installation(teamId)) !== undefined;
  const sandbox: Sandbox = {
    workspaces,
    installUrl,
    removed: new Set(),
    installed: async (teamId) => {
      if (slack.installation(teamId)?.installed !== true) return false;
      try {
        return await inStore(teamId);
      } catch {
        return true; // the store cannot answer now; the local Slack's word will do for the page
      }
    },
    removeApp: async (ws) => {
      const teamId = ws.team.id;
      if (!(await sandbox.installed(teamId)))
        return { ok: false, error: `Competency is not installed in ${ws.team.name}.` };
      // As when an admin removes the app in Slack: every token of the installation stops working,
      // and Slack tells the app, which deletes the installation and the data of the workspace's people.
      const installation = slack.uninstall(teamId);
      const told = await sendEvent(eventsUrl, secrets.signingSecret, appUninstalledEnvelope(installation));
      if (told.status !== 200) {
        return {
          ok: false,
          error: `The app answered HTTP ${told.status} to app_uninstalled. Check the terminal running npm start.`,
        };
      }
      if (!(await until(async () => !(await inStore(teamId)), SETTLE_MS))) {
        return {
          ok: false,
          error: 'The app has not deleted its installation yet. Check the terminal running npm start.',
        };
      }
      sandbox.removed.add(teamId);
      ws.appRemoved();
      return { ok: true };
    },
    sendDueCheckIns: async (ws, userId) => {
      const person = personKey({ userId, teamId: ws.team.id });
      const reminder = (await running.store.get(person)).reminder;
      if (!reminder) {
        return {
          ok: false,
          error:
            'You have no check-in reminder yet. Finish a self-assessment, then choose Monthly or Quarterly on its summary or in the Home tab.',
        };
      }
      // As if the time had come: the scheduler runs with its clock at the reminder's due time.
      reminderClock.offsetMs = Math.max(0, Date.parse(reminder.dueAt) - Date.now());
      try {
        const result = await running.reminders.runOnce();
        if (result.sent > 0) return { ok: true };
        return { ok: false, error: 'The check-in was not sent. Check the terminal running npm start.' };
      } finally {
        reminderClock.offsetMs = 0;
      }
    },
  };
  // An install finished in the browser (oauth.v2.access): once the app has kept it, the page shows it.
  slack.on('api', (call: ApiCall) => {
    if (call.method !== 'oauth.v2.access' || !call.ok || call.team === undefined) return;
    const teamId = call.team;
    const ws = workspaces.find((w) => w.team.id === teamId);
    if (!ws) return;
    void until(() => inStore(teamId).catch(() => false), SETTLE_MS).then(() => {
      sandbox.removed.delete(teamId);
      ws.touch();
    });
  });

  const server = createPageServer(sandbox, logger);
  const port = Number(env.PORT ?? 3000);
  try {
    await listen(server, port);
  } catch (error) {
    await running.stop();
    await slack.close();
    const code = (error as NodeJS.ErrnoException).code;
    throw new StartError([
      code === 'EADDRINUSE'
        ? `Port ${port} is already in use. Stop what is using it, or choose another: PORT=3001 npm start`
        : `The sandbox page could not listen on ${SANDBOX_HOST}:${port}: ${(error as Error).message}`,
    ]);
  }
  const url = `http://${SANDBOX_HOST}:${(server.address() as AddressInfo).port}`;
  const admin = SANDBOX_TEAM.users.find((user) => user.admin === true)?.name ?? 'An admin';
  print(
    [
      '',
      '  Competency sandbox — the whole app, no Slack workspace needed',
      '',
      `  Open ${url} and type /competency help`,
      `  To try installing it into another workspace, choose "${SECOND_TEAM.name}" on the page.`,
      `  Team views (/competency team) show totals once ${env.TEAM_MIN_PEOPLE ?? SANDBOX_TEAM_MIN_PEOPLE} people have shared (TEAM_MIN_PEOPLE).`,
      `  Type @ in the message box to pick a person (/competency ask @…) or the user group @${SANDBOX_TEAM.userGroups[0]?.handle ?? 'sample-team'} (/competency team @…).`,
      `  ${admin} is an admin of the workspace: as ${admin}, /competency admin adds your own framework from a file.`,
      `  Ratings are kept in ${path.join(loaded.config.dataDir, 'competency-data.json')}`,
      '  To connect a real Slack workspace instead, see "Connect it to Slack" in README.md.',
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    workspace,
    workspaces,
    installUrl,
    slack,
    stop: () => {
      stopping ??= (async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await running.stop();
        await slack.close();
      })();
      return stopping;
    },
  };
}

/** Resolves true as soon as `check` does, or false after `timeoutMs`. */
async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
