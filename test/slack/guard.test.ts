import { AuthorizationError } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';
import { blockActionPayload, viewSubmissionPayload } from '../../src/sandbox/interaction-payloads.js';
import { answerBoltFailure, malformation } from '../../src/slack/guard.js';

describe('what a request must carry before Bolt reads it', () => {
  it('lets through the requests Slack sends', () => {
    expect(malformation(blockActionPayload({ actionId: 'a', blockId: 'b', responseUrl: 'http://x' }))).toBe(
      undefined,
    );
    expect(malformation(viewSubmissionPayload({ callbackId: 'rate_all' }))).toBe(undefined);
    expect(malformation({ command: '/competency', text: '', user_id: 'U1', team_id: 'T1' })).toBe(undefined);
    expect(malformation({ type: 'event_callback', event: { type: 'app_home_opened' } })).toBe(undefined);
  });

  it('names, for the log, what is missing; never the content', () => {
    const click = blockActionPayload({ actionId: 'a', blockId: 'b', responseUrl: 'http://x' });
    expect(malformation({ ...click, user: undefined })).toBe(
      '"block_actions" request with a missing or malformed user',
    );
    expect(malformation({ ...click, actions: [] })).toBe(
      '"block_actions" request with a missing or malformed actions',
    );
    expect(malformation({ type: 'constructor' })).toBe(
      'request of a type this app does not handle ("constructor")',
    );
    expect(malformation(null)).toBe('request that is not an object');
  });

  it('tells a malformed command apart as before, though a well-formed one is checked without zod', () => {
    const command = { command: '/competency', text: 'x', user_id: 'U1', team_id: 'T1' };
    expect(malformation({ ...command, user_id: '' })).toBe(
      '"command" request with a missing or malformed user_id',
    );
    expect(malformation({ ...command, team_id: 'T'.repeat(256) })).toBe(
      '"command" request with a missing or malformed team_id',
    );
    expect(malformation({ ...command, text: undefined })).toBe(
      '"command" request with a missing or malformed text',
    );
    expect(malformation({ ...command, command: 'competency' })).toBe(
      '"command" request with a missing or malformed command',
    );
    expect(malformation({ ...command, user_id: 'U'.repeat(255) })).toBe(undefined);
  });
});

describe('when Bolt itself fails on a request, Slack still gets an answer', () => {
  const lines: string[] = [];
  const logger = createLogger(LogLevel.DEBUG, (line) => lines.push(line));
  const response = () => {
    const written: { status?: number; ended: boolean } = { ended: false };
    return {
      written,
      headersSent: false,
      writeHead(status: number) {
        written.status = status;
      },
      end() {
        written.ended = true;
      },
    };
  };

  it('401 when the request could not be authorized, as Bolt answers it', async () => {
    const res = response();
    const error = new AuthorizationError('no installation', new Error('none'));
    expect(await answerBoltFailure({ error, logger, response: res })).toBe(true);
    expect(res.written).toEqual({ status: 401, ended: true });
  });

  it('an empty 200 for anything else, so Slack neither shows an error nor retries; the log says why', async () => {
    const res = response();
    expect(await answerBoltFailure({ error: new TypeError('boom'), logger, response: res })).toBe(true);
    expect(res.written).toEqual({ status: 200, ended: true });
    expect(lines.at(-1)).toContain('Bolt could not process a request');
  });

  it('leaves alone a request already answered', async () => {
    const res = { ...response(), headersSent: true };
    expect(await answerBoltFailure({ error: new Error('late'), logger, response: res })).toBe(false);
    expect(res.written.status).toBeUndefined();
  });
});
