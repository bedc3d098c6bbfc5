import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  blocksToHtml,
  confirmDialogToHtml,
  EMOJI,
  escapeHtml,
  formatSlackDate,
  mrkdwnToHtml,
  mrkdwnToPlain,
  plainToHtml,
  safeUrl,
  textToHtml,
  textToPlain,
  typedTextToHtml,
} from '../../../src/sandbox/page/render.js';
import { frameworkMessage } from '../../../src/slack/views/framework.js';
import { helpMessage } from '../../../src/slack/views/help.js';
import { homeView } from '../../../src/slack/views/home.js';
import { listMessage } from '../../../src/slack/views/list.js';
import { escapeText } from '../../../src/slack/views/mrkdwn.js';
import { rateAllModal } from '../../../src/slack/views/rate-all.js';
import { hostileFramework, largestFramework } from '../../slack/fixtures.js';

const ctx = {
  users: { U1: 'Ada Lovelace' },
  timeZone: 'UTC',
  locale: 'en-US',
  now: Date.UTC(2026, 10, 27, 9),
};
const md = (text: string) => mrkdwnToHtml(text, ctx);
const plain = (text: string, emoji?: boolean) => ({ type: 'plain_text', text, ...(emoji ? { emoji } : {}) });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const option = (text: string, value: string) => ({ text: plain(text), value });

/**
 * The markup render.js writes, and nothing else: every tag and attribute in the output must be one of
 * these, every attribute value quoted. Text from messages is escaped, so any other tag would be injected.
 */
const TAGS = new Set(
  'a strong em del code pre br span time div h2 h3 hr button select option optgroup details summary label input textarea img ul ol li blockquote'.split(
    ' ',
  ),
);
const ATTRS = new Set(
  'href target rel class datetime title type id for value selected disabled placeholder rows minlength maxlength src alt loading role hidden aria-label label data-kind data-action-id data-block-id data-value data-url data-confirm data-text data-input data-error-for aria-modal aria-labelledby aria-describedby data-testid data-confirm-choice'.split(
    ' ',
  ),
);
function assertOnlyOwnMarkup(html: string): void {
  const tag = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/g;
  let rest = html;
  for (const m of html.matchAll(tag)) {
    expect(TAGS, `tag <${m[2]}> in ${html}`).toContain(m[2]);
    for (const a of (m[3] ?? '').matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
      expect(ATTRS, `attribute ${a[1]} in ${html}`).toContain(a[1]);
      if (a[1] === 'href' || a[1] === 'src' || a[1] === 'data-url')
        expect(a[2]).toMatch(/^(https?:|mailto:|\/(?!\/))/i);
    }
    rest = rest.replace(m[0], '');
  }
  // whatever is left is text: no raw markup characters at all
  expect(rest).not.toMatch(/[<>"]/);
}

describe('escapeHtml', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
    expect(escapeHtml(undefined)).toBe('');
  });
});

describe('mrkdwnToHtml', () => {
  it('renders bold, italic, strike, code and pre', () => {
    expect(md('*bold* _italic_ ~strike~')).toBe('<strong>bold</strong> <em>italic</em> <del>strike</del>');
    expect(md('run `/competency *help*` now')).toBe('run <code class="code">/competency *help*</code> now');
    expect(md('```\nline *1*\nline 2```')).toBe('<pre class="pre">line *1*\nline 2</pre>');
    expect(md('*Composable Commerce Strategy* · _strategic_')).toBe(
      '<strong>Composable Commerce Strategy</strong> · <em>strategic</em>',
    );
  });

  it('leaves marks inside words and lone marks alone', () => {
    expect(md('snake_case_name 2*3*4 a * b')).toBe('snake_case_name 2*3*4 a * b');
    expect(md('* not bold *')).toBe('* not bold *');
  });

  it('turns newlines into <br>', () => {
    expect(md('one\ntwo')).toBe('one<br>two');
  });

  it('renders links, only for http, https and mailto', () => {
    expect(md('<https://example.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener">the docs</a>',
    );
    expect(md('<https://example.com>')).toBe(
      '<a href="https://example.com" target="_blank" rel="noopener">https://example.com</a>',
    );
    expect(md('<mailto:a@example.com|mail us>')).toContain('href="mailto:a@example.com"');
    expect(md('<javascript:alert(1)|click>')).toBe('click');
    expect(md('<javascript:alert(1)>')).not.toContain('href');
  });

  it('renders mentions with names, and broadcasts', () => {
    expect(md('hi <@U1>')).toBe('hi <span class="mention">@Ada Lovelace</span>');
    expect(md('<@U999>')).toBe('<span class="mention">@U999</span>');
    expect(md('<!here> <!channel> <!everyone>')).toBe(
      '<span class="mention mention-broadcast">@here</span> <span class="mention mention-broadcast">@channel</span> <span class="mention mention-broadcast">@everyone</span>',
    );
    expect(md('*<@U1>* rated')).toBe('<strong><span class="mention">@Ada Lovelace</span></strong> rated');
  });

  it('formats dates in the reader’s time zone, with the fallback otherwise', () => {
    // 1795787509 = 2026-11-27 13:51:49 UTC
    expect(md('<!date^1795787509^{date_short_pretty} at {time}|27 Nov 2026>')).toBe(
      '<time class="date" datetime="2026-11-27T13:51:49.000Z" title="27 Nov 2026">Today at 1:51 PM</time>',
    );
    const other = { ...ctx, now: Date.UTC(2027, 0, 5) };
    expect(mrkdwnToHtml('<!date^1795787509^{date_short_pretty}|x>', other)).toContain('>Nov 27, 2026<');
    expect(formatSlackDate('1795787509', '{date_short}', ctx)).toBe('Nov 27, 2026');
    expect(formatSlackDate('1795787509', '{date}', ctx)).toBe('November 27th, 2026');
    expect(formatSlackDate('1795787509', '{date_long}', ctx)).toBe('Friday, November 27th, 2026');
    expect(formatSlackDate('1795787509', '{date_num} {time_secs}', ctx)).toBe('2026-11-27 1:51:49 PM');
    expect(formatSlackDate('1795787509', '{date_short}', { ...ctx, timeZone: 'Pacific/Auckland' })).toBe(
      'Nov 28, 2026',
    );
    expect(md('<!date^1795787509^{nonsense}|the fallback>')).toBe('the fallback');
    expect(md('<!date^soon^{date}|the fallback>')).toBe('the fallback');
  });

  it('turns known emoji shortcodes into Unicode and leaves the others', () => {
    expect(
      md(
        ':white_check_mark: :large_yellow_circle: :red_circle: :heavy_minus_sign: :grey_question: :warning: :tada: :inbox_tray: :wastebasket:',
      ),
    ).toBe('✅ 🟡 🔴 ➖ ❔ ⚠️ 🎉 📥 🗑️');
    expect(
      md(
        ':envelope: :bell: :no_bell: :zzz: :busts_in_silhouette: :speech_balloon: :hourglass_flowing_sand: :bar_chart: :wave:',
      ),
    ).toBe('✉️ 🔔 🔕 💤 👥 💬 ⏳ 📊 👋');
    expect(md('*:zzz: Snoozed.* :tada::tada:')).toBe('<strong>💤 Snoozed.</strong> 🎉🎉');
    expect(md(':not_an_emoji: at 10:30:00')).toBe(':not_an_emoji: at 10:30:00');
    // only the table's own entries, not what every object has
    expect(md(':constructor: :__proto__: :toString:')).toBe(':constructor: :__proto__: :toString:');
  });

  it('leaves shortcodes in code and in web addresses as they are', () => {
    expect(md('`:tada:`')).toBe('<code class="code">:tada:</code>');
    expect(md('```\n:warning: x\n```')).toBe('<pre class="pre">:warning: x\n</pre>');
    expect(md('see https://x.example/a:tada:b/:bell: :bell:')).toBe(
      'see https://x.example/a:tada:b/:bell: 🔔',
    );
    expect(md('<https://x.example/:tada:|:tada: the party>')).toBe(
      '<a href="https://x.example/:tada:" target="_blank" rel="noopener">🎉 the party</a>',
    );
    expect(md('<https://x.example/:tada:>')).toBe(
      '<a href="https://x.example/:tada:" target="_blank" rel="noopener">https://x.example/:tada:</a>',
    );
    expect(mrkdwnToPlain(':bell: `:bell:` ```:zzz:```', ctx)).toBe('🔔 :bell: :zzz:');
  });

  it('knows every emoji shortcode the app writes', () => {
    // Every `:name:` in the app's Slack code (not inside `::ffff:` or a time like 10:30:00).
    const dir = path.resolve(import.meta.dirname, '../../../src/slack');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const used = new Set<string>();
    for (const file of files) {
      const source = readFileSync(path.join(dir, file), 'utf8');
      for (const m of source.matchAll(/(?<![:\w]):([a-z][a-z0-9_+-]*):(?![\w/])/g)) used.add(m[1] ?? '');
    }
    expect(used.size).toBeGreaterThan(10);
    for (const name of used) {
      expect(Object.hasOwn(EMOJI, name), `:${name}: is written by src/slack but not in EMOJI`).toBe(true);
      expect(md(`:${name}:`)).toBe(EMOJI[name]);
    }
  });

  it('never lets a message inject HTML', () => {
    const attempts = [
      '<script>alert(1)</script>',
      '&lt;script&gt;alert("x")&lt;/script&gt;',
      `&lt;img src=x onerror='alert(1)'&gt;`,
      `<https://x.example/"onmouseover="alert(1)|label" 'q'>`,
      `<https://x.example|&lt;b&gt;bold&lt;/b&gt;>`,
      `*&lt;b&gt;* _"x"_ \`&lt;i&gt;\` \`\`\`&lt;pre&gt;\`\`\``,
      `<@U1|"><script>> <!date^1^{date}|&lt;script&gt;> <!subteam^S1|<b>>`,
      '\uE0000\uE001 <@U1> \uE0020\uE003',
    ];
    for (const text of attempts) {
      const html = md(text);
      expect(html).not.toMatch(/<script|<img|<b>|<i>/i);
      assertOnlyOwnMarkup(html);
    }
    expect(md('&lt;script&gt;')).toBe('&lt;script&gt;');
    expect(md('Tom &amp; Jerry &amp;lt;')).toBe('Tom &amp; Jerry &amp;lt;');
    expect(md(`it's "quoted"`)).toBe('it&#39;s &quot;quoted&quot;');
    expect(md(`<https://x.example/"a|it's>`)).toBe(
      '<a href="https://x.example/&quot;a" target="_blank" rel="noopener">it&#39;s</a>',
    );
  });

  it('round-trips the app’s own escaping', () => {
    expect(md(`*${escapeText('Role <!channel> & co')}*`)).toBe(
      '<strong>Role &lt;!channel&gt; &amp; co</strong>',
    );
  });

  it('has a plain-text form for confirmation dialogs', () => {
    expect(mrkdwnToPlain('*Delete* everything about <@U1>? &lt;3 `x`', ctx)).toBe(
      'Delete everything about @Ada Lovelace? <3 x',
    );
  });
});

describe('plainToHtml and textToHtml', () => {
  it('escapes plain text, and turns emoji only when asked', () => {
    expect(plainToHtml(plain('<b>:tada:</b>'))).toBe('&lt;b&gt;:tada:&lt;/b&gt;');
    expect(plainToHtml(plain(':tada: *x*', true))).toBe('🎉 *x*');
    expect(plainToHtml(plain(':bell: Remind me <monthly>', true))).toBe('🔔 Remind me &lt;monthly&gt;');
    expect(plainToHtml(plain(':unknown_one: https://x.example/:tada:', true))).toBe(
      ':unknown_one: https://x.example/:tada:',
    );
    expect(textToPlain(plain(':zzz: Snooze', true))).toBe('💤 Snooze');
    expect(textToPlain(plain(':zzz: Snooze'))).toBe(':zzz: Snooze');
  });
  it('chooses by type', () => {
    expect(textToHtml(mrkdwn('*x*'), ctx)).toBe('<strong>x</strong>');
    expect(textToHtml(plain('*x*'), ctx)).toBe('*x*');
    expect(textToHtml(undefined, ctx)).toBe('');
  });
  it('accepts only safe URLs', () => {
    expect(safeUrl('https://a.example')).toBe('https://a.example');
    expect(safeUrl('/sandbox/files/F1?user=U1')).toBe('/sandbox/files/F1?user=U1');
    expect(safeUrl('//evil.example')).toBeUndefined();
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl(' data:text/html,x')).toBeUndefined();
  });
});

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

describe('typedTextToHtml', () => {
  it('shows what a person typed as written, with the people and groups they picked as mentions', () => {
    expect(
      typedTextToHtml('/competency ask <@U1|Ada Lovelace>, team <!subteam^S0TEAM1|@sample-team> :tada:', ctx),
    ).toBe(
      '/competency ask <span class="mention">@Ada Lovelace</span>, team <span class="mention">@sample-team</span> 🎉',
    );
    expect(typedTextToHtml('ask <@U2|Grace>', ctx)).toBe('ask <span class="mention">@Grace</span>');
    // Anything else between < and > is text, never markup or a link.
    expect(typedTextToHtml('<b>*x*</b> <https://x.example|y> <!channel>', ctx)).toBe(
      '&lt;b&gt;*x*&lt;/b&gt; &lt;https://x.example|y&gt; &lt;!channel&gt;',
    );
    for (const text of ['<@U1|"><script>>', '<!subteam^S1|<img src=x onerror=alert(1)>>', '<@U1|a\nb>']) {
      const html = typedTextToHtml(text, ctx);
      expect(html).not.toMatch(/<script|<img/);
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
