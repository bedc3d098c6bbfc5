import { describe, expect } from 'vitest';
import { BUNDLED_FRAMEWORKS_DIR, loadFrameworks } from '../../src/frameworks/loader.js';
import { appHomeOpenedEnvelope } from '../../src/sandbox/event-envelopes.js';
import { sendEvent, sendSlashCommand } from '../../src/sandbox/signing.js';
import { SEED_COMPETENCIES } from '../fixtures/seed-facts.js';
import { it } from '../support/fixtures.js';
import { since } from '../support/waiting.js';
import { buttons, type Posted, SIGNING_SECRET, textOf } from './harness.js';

/** The seed page's facts: name, category, tier, expected level at Mid-Level / Senior / Lead-Principal. */
const EXPECTED = SEED_COMPETENCIES;
const LABELS = ['', 'Basic', 'Developing', 'Proficient', 'Advanced', 'Expert'];
const label = (n: number) => `${LABELS[n]} (${n}/5)`;

/** The section of the answer that describes one competency. */
function sectionFor(message: Posted, name: string): string {
  const section = message.blocks
    .filter((b) => b.type === 'section')
    .find((b) => b.text?.text.startsWith(`*${name}*`));
  if (!section?.text) throw new Error(`no section for ${name}`);
  return section.text.text;
}

describe('/competency over signed HTTP against the local Slack', () => {
  it.for([
    ['solutions-architect mid', 'Mid-Level', 3],
    ['solutions-architect senior', 'Senior', 4],
    ['solutions-architect lead', 'Lead-Principal', 5],
  ] as const)(
    '"%s" shows all 8 competencies with their expected level at %s',
    async ([text, levelName, column], { sharedHarness: h }) => {
      const res = await h.command(text);
      expect(res.status).toBe(200);
      const message = res.json as Posted;
      expect(message.response_type).toBe('ephemeral');
      const header = message.blocks.find((b) => b.type === 'header');
      expect(header?.text?.text).toBe(`Solutions Architect · ${levelName}`);
      for (const row of EXPECTED) {
        const [name, category, , mid, senior, lead] = row;
        const section = sectionFor(message, name);
        expect(section).toContain(category);
        expect(section).toContain(`Expected at ${levelName}: *${label(row[column])}*`);
        expect(section).toContain(`Mid-Level: ${label(mid)}`);
        expect(section).toContain(`Senior: ${label(senior)}`);
        expect(section).toContain(`Lead-Principal: ${label(lead)}`);
      }
      expect(message.text).toContain('Solutions Architect');
    },
  );

  it('lists primary competencies before supporting ones', async ({ sharedHarness: h }) => {
    const message = (await h.command('solutions-architect senior')).json as Posted;
    const all = textOf(message);
    const primaryAt = all.indexOf('*Primary competencies*');
    const supportingAt = all.indexOf('*Supporting competencies*');
    expect(primaryAt).toBeGreaterThan(-1);
    expect(supportingAt).toBeGreaterThan(primaryAt);
    for (const [name, , tier] of EXPECTED) {
      const at = all.indexOf(`*${name}*`);
      if (tier === 'primary') expect(at).toBeLessThan(supportingAt);
      else expect(at).toBeGreaterThan(supportingAt);
    }
  });

  it.for([
    'Solutions Architect Senior',
    'solution_architect SR',
    'sa senior',
    'SA senior e-commerce',
    'solutions-architect ecommerce senior',
  ])('forgives the way it is typed: "%s"', async (text, { sharedHarness: h }) => {
    const message = (await h.command(text)).json as Posted;
    expect(message.blocks.find((b) => b.type === 'header')?.text?.text).toBe('Solutions Architect · Senior');
  });

  it('answers help with usage and a working example', async ({ sharedHarness: h }) => {
    for (const text of ['', 'help']) {
      const message = (await h.command(text)).json as Posted;
      const all = textOf(message);
      expect(all).toContain('/competency &lt;role&gt; &lt;level&gt;'); // escaped in mrkdwn, shown as typed
      expect(all).toContain('/competency list');
      expect(all).toMatch(/Try `\/competency [\w-]+ [\w-]+`/); // several frameworks ship: any of them
    }
  });

  it('lists every framework with its levels, each level a button that shows it', async ({
    sharedHarness: h,
  }) => {
    const message = (await h.command('list')).json as Posted;
    const all = textOf(message);
    expect(all).toContain('Solutions Architect');
    expect(all).toContain('E-commerce');
    for (const level of ['Mid-Level', 'Senior', 'Lead-Principal']) expect(all).toContain(level);

    const posted = await h.press(message, 'Lead-Principal');
    expect(posted.replace_original).toBe(true);
    expect(textOf(posted)).toContain(`Expected at Lead-Principal: *${label(5)}*`);
  });

  it('suggests the right role for a typo, keeping the level, and the suggestion works', async ({
    sharedHarness: h,
  }) => {
    const message = (await h.command('solutons-architect senior')).json as Posted;
    const all = textOf(message);
    expect(all).toContain("couldn't find a role called *solutons-architect*");
    expect(all).toContain('Did you mean');
    expect(all).toContain('`/competency solutions-architect senior`');
    expect(all).toContain('/competency list');

    const shown = await h.press(message, buttons(message)[0]?.text ?? '');
    expect(textOf(shown)).toContain('Expected at Senior');
  });

  it('explains an unknown level and offers the real ones', async ({ sharedHarness: h }) => {
    const message = (await h.command('solutions-architect junior')).json as Posted;
    const all = textOf(message);
    expect(all).toContain('no level called *junior*');
    expect(all).toContain('Mid-Level, Senior, Lead-Principal');
  });

  it('asks for the level when only the role is given, with a button per level', async ({
    sharedHarness: h,
  }) => {
    const message = (await h.command('solutions-architect')).json as Posted;
    expect(buttons(message).map((b) => b.text)).toEqual(['Mid-Level', 'Senior', 'Lead-Principal']);
  });

  it('escapes what the user typed, so it cannot ping a channel or forge a link', async ({
    sharedHarness: h,
  }) => {
    const message = (await h.command('<!channel> <https://evil.example|click> & more')).json as Posted;
    const all = textOf(message) + message.text;
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil');
    expect(all).toContain('&lt;!channel&gt;');
  });

  it('the level buttons on a framework answer switch level in place', async ({ sharedHarness: h }) => {
    const message = (await h.command('solutions-architect senior')).json as Posted;
    const posted = await h.press(message, 'See Mid-Level');
    expect(posted.replace_original).toBe(true);
    expect(textOf(posted)).toContain(`Expected at Mid-Level: *${label(1)}*`);
  });

  it('a tampered button value gets a kind answer, not an error', async ({ sharedHarness: h }) => {
    const message = (await h.command('solutions-architect senior')).json as Posted;
    const posted = await h.press(message, 'See Mid-Level', { value: 'no-such-role <!here>' });
    expect(textOf(posted)).toContain("couldn't find a role");
    expect(textOf(posted)).not.toContain('<!here>');
  });

  it('rejects a request with a stale timestamp (401) and answers nothing', async ({ sharedHarness: h }) => {
    const responseUrl = h.slack.newResponseUrl();
    const stale = Math.floor(Date.now() / 1000) - 10 * 60;
    const res = await sendSlashCommand(
      h.eventsUrl,
      SIGNING_SECRET,
      { command: '/competency', text: 'solutions-architect senior', response_url: responseUrl },
      { timestamp: stale },
    );
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('Solutions Architect');
    await h.idle();
    expect(h.slack.responses.filter((r) => r.url === responseUrl)).toEqual([]);
  });

  it('rejects a request with a wrong signature (401)', async ({ sharedHarness: h }) => {
    const res = await sendSlashCommand(h.eventsUrl, 'not-the-right-secret', {
      command: '/competency',
      text: 'solutions-architect senior',
      response_url: h.slack.newResponseUrl(),
    });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('Solutions Architect');
  });

  it('answers GET /healthz with 200 and `ok`, nothing more; the number of frameworks is in /metrics', async ({
    sharedHarness: h,
  }) => {
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('ok');
    const bundled = (await loadFrameworks([BUNDLED_FRAMEWORKS_DIR])).length;
    const metrics = await (await fetch(`${h.baseUrl}/metrics`)).text();
    expect(metrics).toContain(`\ncompetency_frameworks ${bundled}\n`);
    expect(metrics).toContain('\ncompetency_ready 1\n');
  });

  it('publishes the Home tab when it is opened, and only for the Home tab', async ({ sharedHarness: h }) => {
    h.slack.reset();
    await sendEvent(h.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ tab: 'messages' }));
    // Events are acknowledged before any listener runs: wait until the app is done with it.
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'views.publish')).toHaveLength(0);
    const opened = since(h.slack);
    await sendEvent(h.eventsUrl, SIGNING_SECRET, appHomeOpenedEnvelope({ tab: 'home' }));
    const published = await opened.call('views.publish');
    expect(published.ok).toBe(true);
    expect(JSON.stringify(published.args)).toContain('Solutions Architect');
    await h.idle();
    expect(h.slack.calls.filter((c) => c.method === 'views.publish')).toHaveLength(1);
  });

  it('never logs the signing secret or tokens', ({ sharedHarness: h }) => {
    const all = h.logs.join('\n');
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain(h.slack.bot.token);
  });
});
