import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
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
import { escapeText } from '../../../src/slack/views/mrkdwn.js';
import { assertOnlyOwnMarkup, ctx, mrkdwn, plain } from './render-fixtures.js';

const md = (text: string) => mrkdwnToHtml(text, ctx);

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
