import { describe, expect } from 'vitest';
import type { SandboxRunning } from '../../src/sandbox/sandbox.js';
import { it } from '../support/fixtures.js';
import { stewardYaml } from '../support/own-framework.js';
import { pageApi, pressOnPage, sandboxPageApi } from '../support/page-api.js';

/**
 * The admin flow in the sandbox, through its page's API as the page calls it: Sam Rivera (an admin of
 * the sandbox's workspace) types `/competency admin`, presses Add a framework, attaches a file, sees
 * the preview and publishes; then Alex (not an admin) finds the framework, and is refused the panel.
 */

type Modal = { id: string; blocks: { block_id?: string; type: string }[] } | null;
type State = {
  messages: { id: string; text: string; blocks: unknown[] }[];
  modal: Modal;
  dm: { messages: { text: string }[] };
};

const SAM = 'U0SAMRIVERA';
const ALEX = 'U0ALEXCHEN1';

describe('an admin brings a framework in the sandbox', () => {
  let sandbox: SandboxRunning;
  let post: (route: string, body: object) => Promise<unknown>;
  let until: (user: string, check: (s: State) => boolean) => Promise<State>;
  const lastText = (s: State) => JSON.stringify(s.messages.at(-1)?.blocks ?? []);

  it.beforeAll(({ sharedSandbox }) => {
    sandbox = sharedSandbox;
    ({ post, until } = sandboxPageApi<State>(sandbox.url));
  });

  it('from /competency admin to a framework everyone in the workspace finds', async () => {
    expect(await post('command', { user: SAM, text: 'admin' })).toEqual({ ok: true });
    let s = await until(SAM, (x) => lastText(x).includes('Add a framework'));
    await pressOnPage(pageApi(sandbox.url), SAM, s.messages.at(-1), 'Add a framework');
    s = await until(SAM, (x) => JSON.stringify(x.modal ?? {}).includes('file_input'));
    const modal = s.modal;
    if (!modal) throw new Error('no form');

    const attached = (await post('files', {
      user: SAM,
      name: 'steward.yml',
      content: Buffer.from(stewardYaml()).toString('base64'),
    })) as { ok: boolean; file: Record<string, unknown> };
    expect(attached).toMatchObject({ ok: true, file: { name: 'steward.yml' } });
    const file = attached.file;
    await post('submit', {
      user: SAM,
      viewId: modal.id,
      values: { framework_file_block: { framework_file: { type: 'file_input', files: [file] } } },
    });
    s = await until(SAM, (x) => JSON.stringify(x.modal ?? {}).includes('Publish'));
    expect(JSON.stringify(s.modal)).toContain('Data Steward');
    const preview = s.modal;
    if (!preview) throw new Error('no preview');

    await post('submit', { user: SAM, viewId: preview.id, values: {} });
    s = await until(SAM, (x) => x.dm.messages.some((m) => m.text.includes('Published')));
    expect(s.modal).toBeNull();

    expect(await post('command', { user: ALEX, text: 'data steward senior' })).toEqual({ ok: true });
    const alex = await until(ALEX, (x) => lastText(x).includes('Data Steward'));
    expect(lastText(alex)).toContain('Rate yourself');

    expect(await post('command', { user: ALEX, text: 'admin' })).toEqual({ ok: true });
    const refused = await until(ALEX, (x) => lastText(x).includes('Only the admins and owners'));
    expect(lastText(refused)).not.toContain('Add a framework');
  });
});
