import { describe, expect, it } from 'vitest';
import { blocksToHtml, confirmDialogToHtml, escapeHtml } from '../../../src/sandbox/page/render.js';
import { frameworkMessage } from '../../../src/slack/views/framework.js';
import { helpMessage } from '../../../src/slack/views/help.js';
import { homeView } from '../../../src/slack/views/home.js';
import { listMessage } from '../../../src/slack/views/list.js';
import { rateAllModal } from '../../../src/slack/views/rate-all.js';
import { hostileFramework, largestFramework } from '../../slack/fixtures.js';
import { assertOnlyOwnMarkup, ctx, mrkdwn, option, plain } from './render-fixtures.js';

describe('blocksToHtml', () => {
  it('renders a header, a divider and a context', () => {
    const html = blocksToHtml(
      [
        { type: 'header', text: plain('Solutions Architect :tada:', true) },
        { type: 'divider' },
        {
          type: 'context',
          elements: [
            mrkdwn('*8* competencies'),
            plain('plain'),
            { type: 'image', image_url: 'https://img.example/a.png', alt_text: 'logo' },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain('<h3 class="header">Solutions Architect 🎉</h3>');
    expect(html).toContain('<hr>');
    expect(html).toContain('<div class="block block-context"><span><strong>8</strong> competencies</span>');
    expect(html).toContain('<img class="context-image" src="https://img.example/a.png" alt="logo"');
  });

  it('renders a section with text, fields and each kind of accessory', () => {
    const section = (accessory: Record<string, unknown>) =>
      blocksToHtml(
        [
          {
            type: 'section',
            block_id: 'b1',
            text: mrkdwn('*Title*'),
            fields: [mrkdwn('*You*\n4/5'), mrkdwn('*Expected*\n3/5')],
            accessory,
          },
        ],
        ctx,
      );
    const withButton = section({ type: 'button', action_id: 'rate', text: plain('Rate'), value: 'v<1>' });
    expect(withButton).toContain('data-block-id="b1"');
    expect(withButton).toContain('<div class="fields"><div class="field"><strong>You</strong><br>4/5</div>');
    expect(withButton).toContain(
      '<button type="button" class="btn" data-kind="button" data-action-id="rate" data-block-id="b1" data-value="v&lt;1&gt;">Rate</button>',
    );
    const withSelect = section({
      type: 'static_select',
      action_id: 'pick',
      options: [option('One', '1'), option('Two', '2')],
      initial_option: option('Two', '2'),
    });
    expect(withSelect).toContain(
      '<select class="select" data-action-id="pick" data-block-id="b1" data-kind="static_select">',
    );
    expect(withSelect).toContain('<option value="2" selected>Two</option>');
    expect(withSelect).toContain('<option value="1">One</option>');
    const withOverflow = section({
      type: 'overflow',
      action_id: 'more',
      options: [option('Edit', 'edit'), option('Delete', 'delete')],
    });
    expect(withOverflow).toContain('<details class="overflow" data-action-id="more" data-block-id="b1">');
    expect(withOverflow).toContain(
      'data-kind="overflow-option" data-action-id="more" data-block-id="b1" data-value="delete" data-text="Delete">Delete</button>',
    );
    const withImage = section({ type: 'image', image_url: 'https://img.example/x.png', alt_text: 'x' });
    expect(withImage).toContain('<img class="accessory-image" src="https://img.example/x.png" alt="x"');
  });

  it('renders actions: styled buttons, confirm objects, selects without an initial option, overflow', () => {
    const confirm = {
      title: plain('Sure?'),
      text: mrkdwn('Delete *everything*?'),
      confirm: plain('Delete'),
      deny: plain('Keep'),
    };
    const html = blocksToHtml(
      [
        {
          type: 'actions',
          block_id: 'acts',
          elements: [
            { type: 'button', action_id: 'ok', text: plain('Post it'), style: 'primary', value: 'p' },
            { type: 'button', action_id: 'del', text: plain('Delete'), style: 'danger', confirm },
            { type: 'button', action_id: 'plain', text: plain('Back') },
            {
              type: 'static_select',
              action_id: 'lvl',
              placeholder: plain('Pick a level'),
              options: [option('Senior', 'senior')],
            },
            { type: 'overflow', action_id: 'of', options: [option('A', 'a')] },
            { type: 'datepicker', action_id: 'when' },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain(
      'class="btn btn-primary" data-kind="button" data-action-id="ok" data-block-id="acts" data-value="p">Post it</button>',
    );
    expect(html).toContain('class="btn btn-danger"');
    expect(html).toContain(`data-confirm="${escapeHtml(JSON.stringify(confirm))}"`);
    expect(html).toMatch(/data-action-id="plain" data-block-id="acts">Back<\/button>/);
    expect(html).toContain(
      '<option value="" selected disabled>Pick a level</option><option value="senior">Senior</option>',
    );
    expect(html).toContain('data-action-id="of"');
    expect(html).toContain('[unsupported element: datepicker]');
  });

  it('renders an image block', () => {
    const html = blocksToHtml([
      { type: 'image', image_url: 'https://img.example/p.png', alt_text: 'chart', title: plain('Chart') },
    ]);
    expect(html).toContain(
      '<div class="image-title">Chart</div><img class="image" src="https://img.example/p.png" alt="chart"',
    );
    expect(blocksToHtml([{ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'x' }])).not.toContain(
      '<img',
    );
  });

  it('renders input blocks: label, optional marker, hint, select and text inputs, an error slot', () => {
    const html = blocksToHtml(
      [
        {
          type: 'input',
          block_id: 'competency:one',
          optional: true,
          label: plain('Composable Commerce Strategy'),
          hint: plain('strategic · Sets the direction'),
          element: {
            type: 'static_select',
            action_id: 'rating',
            placeholder: plain('Choose a rating'),
            options: [option('1 · Basic', '1'), option('Not applicable', 'na')],
            initial_option: option('Not applicable', 'na'),
          },
        },
        {
          type: 'input',
          block_id: 'note',
          label: plain('Note'),
          element: { type: 'plain_text_input', action_id: 'text', multiline: true, initial_value: '<hi>' },
        },
        {
          type: 'input',
          block_id: 'name',
          label: plain('Name'),
          element: { type: 'plain_text_input', action_id: 'n', placeholder: plain('Your name') },
        },
      ],
      { ...ctx, idPrefix: 'v1' },
    );
    expect(html).toContain(
      '<label class="input-label" for="v1-input-0">Composable Commerce Strategy <span class="optional">(optional)</span></label>',
    );
    expect(html).toContain(
      '<select class="select" id="v1-input-0" data-action-id="rating" data-block-id="competency:one" data-input="static_select">',
    );
    expect(html).toContain('<option value="na" selected>Not applicable</option>');
    expect(html).toContain('<div class="hint">strategic · Sets the direction</div>');
    expect(html).toContain('data-error-for="competency:one" hidden');
    expect(html).toContain(
      '<textarea id="v1-input-1" data-action-id="text" data-block-id="note" class="text-input" data-input="plain_text_input" rows="4">&lt;hi&gt;</textarea>',
    );
    expect(html).toContain(
      '<input id="v1-input-2" data-action-id="n" data-block-id="name" class="text-input" data-input="plain_text_input" placeholder="Your name" type="text">',
    );
    expect(html.match(/\(optional\)/g)).toHaveLength(1);
  });

  it('renders rich text', () => {
    const html = blocksToHtml(
      [
        {
          type: 'rich_text',
          elements: [
            {
              type: 'rich_text_section',
              elements: [
                { type: 'text', text: 'Hello ' },
                { type: 'text', text: '<world>', style: { bold: true } },
                { type: 'emoji', name: 'tada' },
                { type: 'user', user_id: 'U1' },
                { type: 'link', url: 'https://a.example', text: 'link' },
                { type: 'link', url: 'javascript:x', text: 'bad' },
              ],
            },
            {
              type: 'rich_text_list',
              style: 'bullet',
              elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'item' }] }],
            },
          ],
        },
      ],
      ctx,
    );
    expect(html).toContain(
      'Hello <strong>&lt;world&gt;</strong>🎉<span class="mention">@Ada Lovelace</span>',
    );
    expect(html).toContain('<a href="https://a.example" target="_blank" rel="noopener">link</a>bad');
    expect(html).toContain('<ul><li>item</li></ul>');
  });

  it('notes unknown or broken blocks and never throws', () => {
    expect(blocksToHtml([{ type: 'video', title: plain('x') }])).toBe(
      '<div class="block block-unsupported"><span class="unsupported">[unsupported block: video]</span></div>',
    );
    const broken = [
      null,
      42,
      'text',
      {},
      { type: 'section', fields: 'no' },
      { type: 'actions', elements: [null] },
      { type: '<script>' },
    ];
    expect(() => blocksToHtml(broken)).not.toThrow();
    expect(blocksToHtml(broken)).not.toContain('<script');
    expect(blocksToHtml(undefined)).toBe('');
  });

  it('escapes hostile text in every block type', () => {
    const evil = `<script>alert("1")</script> &lt;img src=x onerror='y'&gt;`;
    const blocks = [
      { type: 'header', text: plain(evil) },
      {
        type: 'section',
        block_id: `"><script>`,
        text: mrkdwn(evil),
        fields: [plain(evil)],
        accessory: { type: 'button', action_id: evil, text: plain(evil), value: evil, url: 'javascript:x' },
      },
      {
        type: 'context',
        elements: [mrkdwn(evil), plain(evil), { type: 'image', image_url: `https://a/"x`, alt_text: evil }],
      },
      {
        type: 'actions',
        elements: [
          { type: 'static_select', action_id: evil, options: [option(evil, evil)], placeholder: plain(evil) },
          { type: 'overflow', action_id: 'o', options: [option(evil, evil)] },
          { type: 'button', text: plain('x'), confirm: { title: plain(evil), text: plain(evil) } },
        ],
      },
      { type: 'image', image_url: 'https://a', alt_text: evil, title: plain(evil) },
      {
        type: 'input',
        block_id: evil,
        label: plain(evil),
        hint: plain(evil),
        element: { type: 'plain_text_input', action_id: evil, initial_value: evil, placeholder: plain(evil) },
      },
      {
        type: 'rich_text',
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: evil }] }],
      },
    ];
    const html = blocksToHtml(blocks, ctx);
    expect(html).not.toMatch(/<script|<img src=x|"javascript:/i);
    assertOnlyOwnMarkup(html);
  });

  it('renders the app’s own messages and views, hostile names included, with no unsupported block', () => {
    const f = hostileFramework();
    const big = largestFramework();
    const level = f.levels[0];
    if (!level || !big.levels[0]) throw new Error('fixture without levels');
    const surfaces = [
      frameworkMessage(f, level, { rate: { progress: undefined } }).blocks,
      frameworkMessage(big, big.levels[0]).blocks,
      helpMessage([f]).blocks,
      listMessage([f, big]).blocks,
      homeView({ frameworks: [f], unfinished: [], history: [] }).blocks,
      rateAllModal(f, level, {}, { f: f.id, v: '1', l: level.id }).blocks,
    ];
    for (const blocks of surfaces) {
      const html = blocksToHtml(blocks, ctx);
      expect(html).not.toContain('unsupported');
      expect(html).not.toMatch(/<script|class="mention mention-broadcast"/);
      assertOnlyOwnMarkup(html);
    }
  });
});

describe('confirmDialogToHtml', () => {
  const confirm = {
    title: plain('Decline the request?'),
    text: plain('They will be told you cannot rate them this time.'),
    confirm: plain('Decline'),
    deny: plain('Go back'),
  };

  it('shows the title, the text, and deny then confirm, confirm green unless danger', () => {
    const html = confirmDialogToHtml(confirm, ctx);
    expect(html).toBe(
      '<div class="confirm-backdrop"><div class="confirm-dialog" role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-text" data-testid="confirm-dialog">' +
        '<h2 class="confirm-title" id="confirm-title">Decline the request?</h2>' +
        '<div class="confirm-text" id="confirm-text">They will be told you cannot rate them this time.</div>' +
        '<div class="confirm-actions"><button type="button" class="btn" data-confirm-choice="deny">Go back</button>' +
        '<button type="button" class="btn btn-primary" data-confirm-choice="confirm">Decline</button></div></div></div>',
    );
    assertOnlyOwnMarkup(html);
    expect(confirmDialogToHtml({ ...confirm, style: 'danger' }, ctx)).toContain(
      '<button type="button" class="btn btn-danger" data-confirm-choice="confirm">Decline</button>',
    );
    expect(confirmDialogToHtml({ ...confirm, style: 'primary' }, ctx)).toContain('class="btn btn-primary"');
  });

  it('renders mrkdwn text and emoji as Slack does', () => {
    const html = confirmDialogToHtml(
      {
        ...confirm,
        title: plain(':wastebasket: Delete?', true),
        text: mrkdwn('Delete *everything* about <@U1>?'),
      },
      ctx,
    );
    expect(html).toContain('<h2 class="confirm-title" id="confirm-title">🗑️ Delete?</h2>');
    expect(html).toContain(
      '<div class="confirm-text" id="confirm-text">Delete <strong>everything</strong> about <span class="mention">@Ada Lovelace</span>?</div>',
    );
  });

  it('asks in Slack’s words when parts are missing, and never throws', () => {
    for (const broken of [undefined, null, 'x', {}, { title: 5, text: [], confirm: {}, deny: null }]) {
      const html = confirmDialogToHtml(broken, ctx);
      expect(html).toContain('>Are you sure?</h2>');
      expect(html).toContain('data-confirm-choice="deny">Cancel</button>');
      expect(html).toContain('data-confirm-choice="confirm">Yes</button>');
      expect(html).not.toContain('aria-describedby');
      assertOnlyOwnMarkup(html);
    }
  });

  it('escapes hostile text', () => {
    const evil = `<script>alert(1)</script> "><img src=x onerror=alert(1)>`;
    const html = confirmDialogToHtml(
      { title: plain(evil), text: mrkdwn(evil), confirm: plain(evil), deny: plain(evil), style: '"danger' },
      ctx,
    );
    expect(html).not.toMatch(/<script|<img/);
    assertOnlyOwnMarkup(html);
  });
});
