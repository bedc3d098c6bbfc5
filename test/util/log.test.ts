import { describe, expect, it } from 'vitest';
import { createLogger, LogLevel } from '../../src/log.js';

describe('the log never shows a secret', () => {
  it.each([
    ['a bot token', 'calling with xoxb-1234-5678-abcdefABCDEF', 'xoxb-1234'],
    ['a rotating token', 'token xoxe.xoxb-1-MS0yLTEyMzQ1Ng-abc', 'MS0yLTEyMzQ1Ng'],
    ['a refresh token', 'refresh with xoxe-1-My0xLTEyMzQ-abcdef', 'My0xLTEyMzQ'],
    ['an app token', 'xapp-1-A0123-4567-deadbeef', 'deadbeef'],
    [
      'a client secret in JSON',
      '{"client_id":"1.2","client_secret":"s3cr3tvalue","code":"abc.def"}',
      's3cr3tvalue',
    ],
    ['an OAuth code in JSON', '{"code":"8667.1830.4a54ade4e4e0"}', '4a54ade4e4e0'],
    ['a form body', 'client_id=1.2&client_secret=s3cr3tvalue&refresh_token=zzz', 's3cr3tvalue'],
  ])('%s', (_what, message, secret) => {
    const lines: string[] = [];
    createLogger(LogLevel.DEBUG, (line) => lines.push(line)).debug(message);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(lines[0]).toContain('redacted');
  });

  it('leaves ordinary text as it is', () => {
    const lines: string[] = [];
    createLogger(LogLevel.INFO, (line) => lines.push(line)).info(
      'Installed in the workspace Acme (T0ACME00001)',
    );
    expect(lines[0]).toMatch(/INFO \[competency\] Installed in the workspace Acme \(T0ACME00001\)$/);
  });
});
