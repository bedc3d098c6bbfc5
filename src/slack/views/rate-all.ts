import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import type { Framework, Level } from '../../frameworks/schema.js';
import type { RatingValue } from '../../model/records.js';
import { CallbackId } from '../ids.js';
import { encodeValue, type RateAllMetadata } from '../values.js';
import { escapeText, truncate } from './mrkdwn.js';

/** The select in each input block; the block id carries the competency id. */
export const RATING_SELECT = 'rating';
export const blockIdOf = (competencyId: string): string => `competency:${competencyId}`;
export const competencyIdOf = (blockId: string): string | undefined =>
  blockId.startsWith('competency:') ? blockId.slice('competency:'.length) : undefined;

function options(framework: Framework): PlainTextOption[] {
  return [
    ...framework.scale.map((s) => ({
      text: { type: 'plain_text' as const, text: truncate(`${s.value} · ${s.label}`, 75) },
      value: String(s.value),
    })),
    { text: { type: 'plain_text', text: 'Not applicable' }, value: 'na' },
  ];
}

/**
 * Rate all: one select per competency, filled in with the current ratings. The largest framework the
 * schema allows (24 competencies) needs 26 blocks, well within a modal's 100.
 */
export function rateAllModal(
  framework: Framework,
  level: Level,
  current: Record<string, RatingValue>,
  metadata: RateAllMetadata,
): ModalView {
  const all = options(framework);
  const blocks: KnownBlock[] = [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Rate yourself on each competency of *${escapeText(framework.role.name)}* (${escapeText(framework.domain.name)}). Leave one empty to keep it as it is. Only you can see your ratings; after saving you will see how they compare with ${escapeText(level.name)}.`,
        },
      ],
    },
  ];
  for (const competency of framework.competencies) {
    // Competency ids are data (one may be called `constructor`): read own fields only.
    const rating = Object.hasOwn(current, competency.id) ? current[competency.id] : undefined;
    const initial = all.find((o) => o.value === String(rating));
    blocks.push({
      type: 'input',
      block_id: blockIdOf(competency.id),
      optional: true,
      label: { type: 'plain_text', text: competency.name },
      hint: { type: 'plain_text', text: truncate(`${competency.category} · ${competency.description}`, 300) },
      element: {
        type: 'static_select',
        action_id: RATING_SELECT,
        placeholder: { type: 'plain_text', text: 'Choose a rating' },
        options: all,
        ...(initial ? { initial_option: initial } : {}),
      },
    });
  }
  return {
    type: 'modal',
    callback_id: CallbackId.rateAll,
    title: { type: 'plain_text', text: 'Rate all' },
    submit: { type: 'plain_text', text: 'Save ratings' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeValue(metadata),
    blocks,
  };
}
