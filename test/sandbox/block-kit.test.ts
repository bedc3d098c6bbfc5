import { describe, expect, it } from 'vitest';
import { validateMessage, validateView } from '../../src/sandbox/block-kit.js';
import { assertValidMessage, assertValidView } from '../support/block-kit.js';

const plain = (text: string) => ({ type: 'plain_text', text });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const option = (text: string, value: string) => ({ text: plain(text), value });
const button = (actionId: string, text: string, value = actionId) => ({
  type: 'button',
  action_id: actionId,
  text: plain(text),
  value,
});
const section = (text: string, extra: Record<string, unknown> = {}) => ({
  type: 'section',
  text: mrkdwn(text),
  ...extra,
});
const x = (n: number) => 'x'.repeat(n);

/** A message like the one the app sends for `/competency solutions-architect senior`. */
function realisticMessage(): { text: string; blocks: Record<string, unknown>[] } {
  return {
    text: 'Solutions Architect — Senior: 8 competencies',
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Solutions Architect — Senior', emoji: true } },
      section('*Solution design* (primary)\nShapes systems that fit the business.', {
        block_id: 'competency-solution-design',
        fields: [mrkdwn('*Expected*\n4 — Advanced'), mrkdwn('*Category*\nTechnical')],
        accessory: {
          type: 'overflow',
          action_id: 'more',
          options: [option('Next level', 'next'), { ...option('Docs', 'docs'), url: 'https://example.com' }],
        },
      }),
      { type: 'context', elements: [mrkdwn('Scale: 1 Awareness … 5 Expert'), plain('Source: framework v1')] },
      { type: 'divider' },
      {
        type: 'actions',
        block_id: 'rate',
        elements: [
          { ...button('rate-start', 'Rate yourself', 'solutions-architect/senior'), style: 'primary' },
          {
            type: 'static_select',
            action_id: 'level',
            placeholder: plain('Other level'),
            options: [option('Mid-Level', 'mid'), option('Senior', 'senior')],
            initial_option: option('Senior', 'senior'),
          },
        ],
      },
      { type: 'image', image_url: 'https://example.com/chart.png', alt_text: 'ratings chart' },
      {
        type: 'rich_text',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'Notes' }] }],
      },
    ],
  };
}

function realisticModal(): Record<string, unknown> {
  return {
    type: 'modal',
    callback_id: 'share-preview',
    private_metadata: JSON.stringify({ framework: 'solutions-architect', level: 'senior' }),
    title: plain('Share your summary'),
    submit: plain('Share'),
    close: plain('Cancel'),
    blocks: [
      section('This is what the channel will see.'),
      {
        type: 'input',
        block_id: 'note',
        label: plain('Add a note'),
        optional: true,
        element: { type: 'plain_text_input', action_id: 'note', multiline: true, max_length: 500 },
      },
      {
        type: 'input',
        block_id: 'who',
        label: plain('Visible to'),
        element: {
          type: 'radio_buttons',
          action_id: 'who',
          options: [{ text: mrkdwn('*Channel*'), value: 'channel' }, option('Only me', 'me')],
          initial_option: option('Only me', 'me'),
        },
      },
      {
        type: 'input',
        block_id: 'parts',
        label: plain('Include'),
        element: {
          type: 'checkboxes',
          action_id: 'parts',
          options: [option('Gaps', 'gaps'), option('Next level', 'next')],
          initial_options: [option('Gaps', 'gaps')],
        },
      },
    ],
  };
}

/** The problems of the realistic message after `change` has been applied to it. */
function problemsAfter(change: (message: ReturnType<typeof realisticMessage>) => void): string[] {
  const message = realisticMessage();
  change(message);
  return validateMessage(message);
}

function viewProblemsAfter(change: (view: Record<string, unknown>) => void): string[] {
  const view = realisticModal();
  change(view);
  return validateView(view);
}

describe('validateMessage', () => {
  it('accepts a realistic message', () => {
    expect(validateMessage(realisticMessage())).toEqual([]);
    expect(() => assertValidMessage(realisticMessage())).not.toThrow();
  });

  it('accepts blocks given as a JSON string, as web-api sends them', () => {
    const message = realisticMessage();
    expect(validateMessage({ text: message.text, blocks: JSON.stringify(message.blocks) })).toEqual([]);
  });

  it('accepts a text-only message', () => {
    expect(validateMessage({ text: 'Saved.', response_type: 'ephemeral', replace_original: true })).toEqual(
      [],
    );
  });

  it('always requires a text fallback', () => {
    const problems = problemsAfter((m) => {
      m.text = '  ';
    });
    expect(problems).toEqual([
      'message: text is missing or empty; always give a text fallback (notifications and screen readers use it)',
    ]);
  });

  it('rejects blocks that are not valid JSON', () => {
    expect(validateMessage({ text: 'hi', blocks: '[{' })).toEqual([
      'message: blocks is a string that is not valid JSON',
    ]);
  });

  it('limits a message to 50 blocks', () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(validateMessage({ text: 'hi', blocks })).toEqual([
      'message: blocks has 51 items; the limit is 50',
    ]);
    expect(validateMessage({ text: 'hi', blocks: blocks.slice(0, 50) })).toEqual([]);
  });

  it('limits section text to 3000 characters and requires it non-empty', () => {
    expect(problemsAfter((m) => m.blocks.splice(3, 0, section(x(3001))))).toEqual([
      'blocks[3] (section): text is 3001 characters; the limit is 3000',
    ]);
    expect(problemsAfter((m) => m.blocks.splice(3, 0, section(x(3000))))).toEqual([]);
    expect(problemsAfter((m) => m.blocks.splice(3, 0, section('')))).toEqual([
      'blocks[3] (section): text has no text (text must be a non-empty string)',
    ]);
  });

  it('requires a section to have text or fields', () => {
    expect(problemsAfter((m) => m.blocks.push({ type: 'section' }))).toEqual([
      'blocks[7] (section): a section needs text or fields',
    ]);
  });

  it('limits section fields to 10, each 2000 characters', () => {
    const fields = Array.from({ length: 11 }, (_, i) => mrkdwn(`field ${i}`));
    expect(problemsAfter((m) => m.blocks.push({ type: 'section', fields }))).toEqual([
      'blocks[7] (section): fields has 11 items; the limit is 10',
    ]);
    expect(
      problemsAfter((m) => m.blocks.push({ type: 'section', fields: [mrkdwn('a'), plain(x(2001))] })),
    ).toEqual(['blocks[7] (section): fields[1] is 2001 characters; the limit is 2000']);
  });

  it('limits header text to 150 characters of plain_text', () => {
    expect(problemsAfter((m) => m.blocks.splice(0, 1, { type: 'header', text: plain(x(151)) }))).toEqual([
      'blocks[0] (header): text is 151 characters; the limit is 150',
    ]);
    expect(problemsAfter((m) => m.blocks.splice(0, 1, { type: 'header', text: mrkdwn('*Bold*') }))).toEqual([
      'blocks[0] (header): text must be plain_text, not mrkdwn',
    ]);
  });

  it('requires 1 to 10 context elements', () => {
    const elements = Array.from({ length: 11 }, () => plain('c'));
    expect(problemsAfter((m) => m.blocks.push({ type: 'context', elements }))).toEqual([
      'blocks[7] (context): elements has 11 items; the limit is 10',
    ]);
    expect(problemsAfter((m) => m.blocks.push({ type: 'context', elements: [] }))).toEqual([
      'blocks[7] (context): elements is empty; give at least 1',
    ]);
  });

  it('requires 1 to 25 actions elements', () => {
    const elements = Array.from({ length: 26 }, (_, i) => button(`b${i}`, `B${i}`));
    expect(problemsAfter((m) => m.blocks.push({ type: 'actions', elements }))).toEqual([
      'blocks[7] (actions): elements has 26 items; the limit is 25',
    ]);
    expect(problemsAfter((m) => m.blocks.push({ type: 'actions', elements: [] }))).toEqual([
      'blocks[7] (actions): elements is empty; give at least 1',
    ]);
  });

  it('limits button text, value, url and style', () => {
    const withButton = (b: Record<string, unknown>) =>
      problemsAfter((m) => m.blocks.push({ type: 'actions', elements: [b] }));
    expect(withButton(button('b', x(76)))).toEqual([
      'blocks[7] (actions) > elements[0] (button): text is 76 characters; the limit is 75',
    ]);
    expect(withButton({ ...button('b', 'B'), text: mrkdwn('B') })).toEqual([
      'blocks[7] (actions) > elements[0] (button): text must be plain_text, not mrkdwn',
    ]);
    expect(withButton(button('b', 'B', x(2001)))).toEqual([
      'blocks[7] (actions) > elements[0] (button): value is 2001 characters; the limit is 2000',
    ]);
    expect(withButton({ ...button('b', 'B'), url: `https://example.com/${x(2981)}` })).toEqual([
      'blocks[7] (actions) > elements[0] (button): url is 3001 characters; the limit is 3000',
    ]);
    expect(withButton({ ...button('b', 'B'), style: 'secondary' })).toEqual([
      'blocks[7] (actions) > elements[0] (button): style is "secondary"; allowed: primary, danger (or leave it out for the default)',
    ]);
  });

  it('limits action_id and block_id to 255 characters', () => {
    expect(problemsAfter((m) => m.blocks.push({ type: 'actions', elements: [button(x(256), 'B')] }))).toEqual(
      ['blocks[7] (actions) > elements[0] (button): action_id is 256 characters; the limit is 255'],
    );
    expect(problemsAfter((m) => m.blocks.push({ type: 'divider', block_id: x(256) }))).toEqual([
      'blocks[7] (divider): block_id is 256 characters; the limit is 255',
    ]);
  });

  it('requires action_id to be unique within its block', () => {
    const elements = [button('rate-1', 'One'), button('rate-2', 'Two'), button('rate-1', 'Again')];
    expect(problemsAfter((m) => m.blocks.push({ type: 'actions', elements }))).toEqual([
      'blocks[7] (actions): elements[2] uses action_id "rate-1" already used by elements[0]',
    ]);
  });

  it('requires block_id to be unique in the message', () => {
    expect(problemsAfter((m) => m.blocks.push({ type: 'divider', block_id: 'rate' }))).toEqual([
      'blocks[7] (divider): block_id "rate" is already used by blocks[4]; block_id must be unique',
    ]);
  });

  it('limits static_select options and option text, value and description', () => {
    const select = (extra: Record<string, unknown>) =>
      problemsAfter((m) =>
        m.blocks.push({
          type: 'actions',
          elements: [{ type: 'static_select', action_id: 's', placeholder: plain('Pick'), ...extra }],
        }),
      );
    const many = Array.from({ length: 101 }, (_, i) => option(`Option ${i}`, `v${i}`));
    expect(select({ options: many })).toEqual([
      'blocks[7] (actions) > elements[0] (static_select): options has 101 items; the limit is 100',
    ]);
    expect(select({ options: [] })).toEqual([
      'blocks[7] (actions) > elements[0] (static_select): options is empty; give at least 1',
    ]);
    expect(select({ options: [option(x(76), 'v')] })).toEqual([
      'blocks[7] (actions) > elements[0] (static_select) > options[0]: text is 76 characters; the limit is 75',
    ]);
    expect(select({ options: [option('A', x(151))] })).toEqual([
      'blocks[7] (actions) > elements[0] (static_select) > options[0]: value is 151 characters; the limit is 150',
    ]);
    expect(select({ options: [{ ...option('A', 'a'), description: plain(x(76)) }] })).toEqual([
      'blocks[7] (actions) > elements[0] (static_select) > options[0]: description is 76 characters; the limit is 75',
    ]);
    expect(select({ options: [option('A', 'a')], initial_option: option('B', 'b') })).toEqual([
      'blocks[7] (actions) > elements[0] (static_select): initial_option must be one of the options (same value and text)',
    ]);
  });

  it('requires 1 to 5 overflow options', () => {
    const overflow = (n: number) =>
      problemsAfter((m) =>
        m.blocks.push({
          type: 'actions',
          elements: [
            {
              type: 'overflow',
              action_id: 'o',
              options: Array.from({ length: n }, (_, i) => option(`O${i}`, `${i}`)),
            },
          ],
        }),
      );
    expect(overflow(6)).toEqual([
      'blocks[7] (actions) > elements[0] (overflow): options has 6 items; the limit is 5',
    ]);
    expect(overflow(0)).toEqual([
      'blocks[7] (actions) > elements[0] (overflow): options is empty; give at least 1',
    ]);
    expect(overflow(5)).toEqual([]);
  });

  it('does not allow input blocks in messages', () => {
    const input = {
      type: 'input',
      label: plain('Note'),
      element: { type: 'plain_text_input', action_id: 'n' },
    };
    expect(problemsAfter((m) => m.blocks.push(input))).toEqual([
      'blocks[7] (input): input blocks are only allowed in modals and the Home tab',
    ]);
  });

  it('limits all block text together to 12,000 characters', () => {
    const blocks = Array.from({ length: 5 }, () => section(x(2500)));
    expect(validateMessage({ text: 'long', blocks })).toEqual([
      'message: all block text together is 12500 characters; the limit is 12000',
    ]);
  });

  it('reports unknown block and element types', () => {
    expect(problemsAfter((m) => m.blocks.push({ type: 'table' }))).toEqual([
      'blocks[7]: unknown block type "table"',
    ]);
    expect(
      problemsAfter((m) =>
        m.blocks.push({ type: 'actions', elements: [{ type: 'timepicker', action_id: 't' }] }),
      ),
    ).toEqual(['blocks[7] (actions): elements[0] has unknown element type "timepicker"']);
    expect(
      problemsAfter((m) =>
        m.blocks.push({ type: 'actions', elements: [{ type: 'plain_text_input', action_id: 'p' }] }),
      ),
    ).toEqual(['blocks[7] (actions): elements[0] (plain_text_input) is not allowed in actions blocks']);
  });

  it('checks text objects', () => {
    expect(
      problemsAfter((m) => m.blocks.push({ type: 'section', text: { type: 'markdown', text: 'hi' } })),
    ).toEqual(['blocks[7] (section): text has type "markdown"; a text object is plain_text or mrkdwn']);
    expect(problemsAfter((m) => m.blocks.push({ type: 'section', text: 'hi' }))).toEqual([
      'blocks[7] (section): text must be a text object ({ type, text }), not "hi"',
    ]);
    expect(
      problemsAfter((m) =>
        m.blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'hi', emoji: true } }),
      ),
    ).toEqual(['blocks[7] (section): text is mrkdwn; emoji is only allowed on plain_text']);
  });

  it('lists every problem when asserting', () => {
    const message = realisticMessage();
    message.text = '';
    message.blocks.push(section(x(3001)));
    expect(() => assertValidMessage(message)).toThrow(/Invalid Block Kit message \(2 problems\)/);
  });
});

describe('validateView', () => {
  it('accepts a realistic modal and a Home tab', () => {
    expect(validateView(realisticModal())).toEqual([]);
    expect(() => assertValidView(realisticModal())).not.toThrow();
    const home = { type: 'home', blocks: realisticMessage().blocks };
    expect(validateView(home)).toEqual([]);
    expect(validateView(JSON.stringify(home))).toEqual([]);
  });

  it('requires a known view type', () => {
    expect(validateView({ type: 'dialog', blocks: [] })).toEqual([
      'view: type is "dialog"; a view is modal or home',
    ]);
  });

  it('limits a modal to 100 blocks', () => {
    const problems = viewProblemsAfter((v) => {
      v.blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    });
    expect(problems).toEqual(['view: blocks has 101 items; the limit is 100']);
  });

  it('limits a Home tab to 100 blocks', () => {
    const blocks = Array.from({ length: 101 }, () => ({ type: 'divider' }));
    expect(validateView({ type: 'home', blocks })).toEqual(['view: blocks has 101 items; the limit is 100']);
    expect(validateView({ type: 'home', blocks: blocks.slice(0, 100) })).toEqual([]);
  });

  it('requires a modal title of at most 24 characters, plain_text', () => {
    expect(viewProblemsAfter((v) => delete v.title)).toEqual(['view: title is missing']);
    expect(
      viewProblemsAfter((v) => {
        v.title = plain(x(25));
      }),
    ).toEqual(['view: title is 25 characters; the limit is 24']);
    expect(
      viewProblemsAfter((v) => {
        v.title = mrkdwn('Title');
      }),
    ).toEqual(['view: title must be plain_text, not mrkdwn']);
  });

  it('limits submit and close to 24 characters', () => {
    expect(
      viewProblemsAfter((v) => {
        v.submit = plain(x(25));
        v.close = plain(x(26));
      }),
    ).toEqual([
      'view: submit is 25 characters; the limit is 24',
      'view: close is 26 characters; the limit is 24',
    ]);
  });

  it('requires submit when the modal has input blocks', () => {
    expect(viewProblemsAfter((v) => delete v.submit)).toEqual([
      'view: a modal with input blocks needs submit',
    ]);
  });

  it('limits private_metadata to 3000 and callback_id to 255 characters', () => {
    expect(
      viewProblemsAfter((v) => {
        v.private_metadata = x(3001);
        v.callback_id = x(256);
      }),
    ).toEqual([
      'view: callback_id is 256 characters; the limit is 255',
      'view: private_metadata is 3001 characters; the limit is 3000',
    ]);
  });

  it('checks input blocks: label length and a required element', () => {
    expect(
      viewProblemsAfter((v) => {
        v.blocks = [
          { type: 'input', label: plain(x(2001)), element: { type: 'plain_text_input', action_id: 'a' } },
        ];
      }),
    ).toEqual(['blocks[0] (input): label is 2001 characters; the limit is 2000']);
    expect(
      viewProblemsAfter((v) => {
        v.blocks = [{ type: 'input', label: plain('Note') }];
      }),
    ).toEqual(['blocks[0] (input): element is missing']);
  });

  it('requires radio and checkbox initial options to be among the options', () => {
    expect(
      viewProblemsAfter((v) => {
        v.blocks = [
          {
            type: 'input',
            label: plain('Pick'),
            element: {
              type: 'checkboxes',
              action_id: 'c',
              options: [option('A', 'a')],
              initial_options: [option('B', 'b')],
            },
          },
        ];
      }),
    ).toEqual([
      'blocks[0] (input) > element (checkboxes): initial_options[0] must be one of the options (same value and text)',
    ]);
  });
});
