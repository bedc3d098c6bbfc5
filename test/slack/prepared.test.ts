import { describe, expect, it } from 'vitest';
import { RequestsInFlight } from '../../src/slack/in-flight.js';
import { ephemeral, preparedJson } from '../../src/slack/prepared.js';
import type { Message } from '../../src/slack/views/types.js';

const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
};

describe('answers serialised once', () => {
  it('gives a frozen answer the same body each time, with its JSON as Bolt would write it', () => {
    const message = deepFreeze({ text: 'Solutions Architect', blocks: [{ type: 'divider' }] }) as Message;
    const body = ephemeral(message);
    expect(ephemeral(message)).toBe(body);
    expect(body).toEqual({ response_type: 'ephemeral', ...message });
    expect(preparedJson(body)).toBe(JSON.stringify({ response_type: 'ephemeral', ...message }));
  });

  it('serialises afresh an answer that may still change', () => {
    const open: Message = { text: 'a', blocks: [] };
    const body = ephemeral(open);
    expect(body).toEqual({ response_type: 'ephemeral', text: 'a', blocks: [] });
    expect(ephemeral(open)).not.toBe(body);
    expect(preparedJson(body)).toBe(undefined);
    // Frozen on top but not inside: its blocks could change, so it is not kept either.
    const shallow = Object.freeze({ text: 'b', blocks: [] }) as Message;
    expect(preparedJson(ephemeral(shallow))).toBe(undefined);
    expect(preparedJson('text')).toBe(undefined);
    expect(preparedJson(undefined)).toBe(undefined);
  });
});

describe('the requests in flight', () => {
  it('counts work and holds until they finish, and settles once none is left', async () => {
    const requests = new RequestsInFlight();
    let finish!: () => void;
    const work = requests.track(new Promise<void>((resolve) => (finish = resolve)));
    const release = requests.hold();
    expect(requests.size).toBe(2);
    release();
    release();
    expect(requests.size).toBe(1);
    const settled = requests.settled(5000);
    finish();
    await work;
    await expect(settled).resolves.toBe(0);
    expect(requests.size).toBe(0);
  });

  it('counts failed work as finished, and says how many were left when time ran out', async () => {
    const requests = new RequestsInFlight();
    await requests.track(Promise.reject(new Error('x'))).catch(() => undefined);
    await Promise.resolve();
    expect(requests.size).toBe(0);
    requests.hold();
    await expect(requests.settled(10)).resolves.toBe(1);
    await expect(new RequestsInFlight().settled(10)).resolves.toBe(0);
  });
});
