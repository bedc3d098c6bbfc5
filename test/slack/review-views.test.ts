import { describe, expect, it } from 'vitest';
import { agreementOf } from '../../src/assessments/reviews/comparison.js';
import type { Comparison, RequestInfo, RequestSummary, ReviewStep } from '../../src/assessments/reviews.js';
import type { AssessmentRecord, RatingValue, Review } from '../../src/model/records.js';
import { validateMessage } from '../../src/sandbox/block-kit.js';
import { parseAskTarget, parseCompetencyText } from '../../src/slack/command-text.js';
import {
  askedMessage,
  askHowNote,
  askUsageMessage,
  comparisonMessage,
  declinedNoticeMessage,
  requestsMessage,
  reviewRefusalMessage,
  reviewRequestMessage,
  reviewStepMessage,
  withdrawnNoticeMessage,
} from '../../src/slack/views/review.js';
import { hostileFramework, largestFramework } from './fixtures.js';

const largest = largestFramework();

function recordOf(framework = largest): AssessmentRecord {
  return {
    id: 'record-1',
    frameworkId: framework.id,
    frameworkVersion: framework.version,
    roleName: framework.role.name,
    domainName: framework.domain.name,
    levelId: framework.levels[0]?.id ?? '',
    levelName: framework.levels[0]?.name ?? '',
    nextLevelName: null,
    finishedAt: '2026-12-01T10:00:00.000Z',
    competencies: framework.competencies.map((c, j) => ({
      id: c.id,
      name: c.name,
      category: c.category,
      tier: c.tier,
      expected: 4,
      nextExpected: null,
      rating: ((j % 5) + 1) as 1 | 2 | 3 | 4 | 5,
    })),
  };
}

function requestOf(record: AssessmentRecord): RequestInfo {
  return {
    subject: 'T0123:U0ALICE',
    subjectUserId: 'U0ALICE',
    reviewId: 'r'.repeat(40),
    reviewerUserId: 'U0BOB',
    status: 'rating',
    roleName: record.roleName,
    domainName: record.domainName,
    levelName: record.levelName,
    competencies: record.competencies.length,
  };
}

function comparisonOf(record: AssessmentRecord): Comparison {
  const rows = record.competencies.map((c, j) => {
    const review: RatingValue | null = j % 6 === 0 ? null : ((((j + 2) % 5) + 1) as 1 | 2 | 3 | 4 | 5);
    return {
      id: c.id,
      name: c.name,
      tier: c.tier,
      expected: c.expected,
      self: c.rating,
      review,
      ...agreementOf(c.rating, review),
    };
  });
  const counts = { same: 0, 'one-apart': 0, apart: 0, 'not-compared': 0 };
  for (const row of rows) counts[row.agreement] += 1;
  return {
    kind: 'comparison',
    request: requestOf(record),
    reviewerName: 'bob',
    record,
    finishedAt: '2026-12-02T10:00:00.000Z',
    rows,
    counts,
    finishedNow: true,
  };
}

describe('review views stay within Block Kit limits and escape what they show', () => {
  it('every step of the largest framework, the request, the comparison both ways', () => {
    const record = recordOf();
    const request = requestOf(record);
    for (const [i, c] of largest.competencies.entries()) {
      const step: ReviewStep = {
        kind: 'review-step',
        request,
        index: i,
        total: largest.competencies.length,
        competency: { id: c.id, name: c.name, category: c.category, description: c.description },
        current: i % 2 === 0 ? null : 3,
        scale: largest.scale,
      };
      expect(validateMessage(reviewStepMessage(step))).toEqual([]);
    }
    expect(validateMessage(reviewRequestMessage(request))).toEqual([]);
    expect(validateMessage(reviewRequestMessage(request, 'note'))).toEqual([]);
    expect(validateMessage(comparisonMessage(comparisonOf(record), 'subject'))).toEqual([]);
    expect(validateMessage(comparisonMessage(comparisonOf(record), 'reviewer'))).toEqual([]);
    expect(validateMessage(askedMessage(request))).toEqual([]);
    expect(validateMessage(declinedNoticeMessage(request))).toEqual([]);
    expect(validateMessage(withdrawnNoticeMessage(request))).toEqual([]);
    expect(validateMessage(reviewRefusalMessage({ kind: 'review-refused', reason: 'not-yours' }))).toEqual(
      [],
    );
  });

  it('the list of requests, with many of them', () => {
    const record = recordOf();
    const requests: RequestSummary[] = Array.from({ length: 60 }, (_, i) => ({
      review: {
        id: `id-${i}`,
        assessmentId: record.id,
        reviewer: `T0123:U0${i}`,
        reviewerUserId: `U0${i}`,
        status: (['asked', 'rating', 'finished', 'declined', 'withdrawn'] as const)[i % 5] ?? 'asked',
        position: 0,
        answers: {},
        askedAt: '2026-12-01T10:00:00.000Z',
        updatedAt: '2026-12-01T10:00:00.000Z',
      } satisfies Review,
      record: i % 7 === 0 ? undefined : record,
    }));
    const message = requestsMessage(requests, 'Withdrawn.');
    expect(validateMessage(message)).toEqual([]);
    expect(validateMessage(requestsMessage([]))).toEqual([]);
  });

  it('a step shows the reviewer’s own answer only, and the scale', () => {
    const record = recordOf();
    const c = largest.competencies[0];
    if (!c) throw new Error('fixture');
    const step: ReviewStep = {
      kind: 'review-step',
      request: requestOf(record),
      index: 0,
      total: 24,
      competency: { id: c.id, name: c.name, category: c.category, description: undefined },
      current: 4,
      scale: largest.scale,
    };
    const json = JSON.stringify(reviewStepMessage(step));
    expect(json).toContain('Your answer so far: *4/5*');
    expect(json).not.toMatch(/"rating":/);
  });

  it('escapes names from framework files', () => {
    const hostile = hostileFramework();
    const record = recordOf(hostile);
    const text = JSON.stringify([
      reviewRequestMessage(requestOf(record)),
      comparisonMessage(comparisonOf(record), 'subject'),
      askHowNote(record, true),
    ]);
    // In mrkdwn, names are escaped (a plain_text header shows them as typed: Slack does not parse it).
    expect(text).not.toMatch(/"mrkdwn","text":"[^"]*<!(channel|everyone)/);
    expect(text).not.toMatch(/Ask a colleague[^"]*<!/);
    expect(text).toContain('&lt;!channel&gt;');
  });

  it('the usage answers never echo what was typed unescaped', () => {
    const text = JSON.stringify(askUsageMessage('unknown', '<!channel> `x`'));
    expect(text).not.toContain('<!channel>');
  });
});

describe('/competency ask and reviews', () => {
  it('reads a mention as Slack sends it, a bare id, a plain name, or nothing', () => {
    expect(parseAskTarget('<@U0123ABC|bob>')).toEqual({ kind: 'user', id: 'U0123ABC', name: 'bob' });
    expect(parseAskTarget(' <@W0123ABC> ')).toEqual({ kind: 'user', id: 'W0123ABC' });
    expect(parseAskTarget('U0123ABC')).toEqual({ kind: 'user', id: 'U0123ABC' });
    expect(parseAskTarget('@bob.smith')).toEqual({ kind: 'handle', handle: 'bob.smith' });
    expect(parseAskTarget('')).toEqual({ kind: 'none' });
    expect(parseAskTarget('<@U0123ABC> <@U0456DEF>')).toEqual({ kind: 'unknown' });
    expect(parseAskTarget('<!channel>')).toEqual({ kind: 'unknown' });
    expect(parseCompetencyText('ask <@U0123ABC|bob>')).toEqual({
      kind: 'ask',
      target: { kind: 'user', id: 'U0123ABC', name: 'bob' },
    });
    expect(parseCompetencyText('Reviews')).toEqual({ kind: 'reviews' });
  });
});
