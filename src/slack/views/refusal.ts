import type { Button, KnownBlock } from '@slack/types';
import type { Refusal } from '../../assessments/assessments.js';
import { ActionId } from '../ids.js';
import { encodeValue } from '../values.js';
import { ratingStepMessage } from './assessment.js';
import { code, escapeText } from './mrkdwn.js';
import { COMMAND, type Message } from './types.js';

const NOTHING_SAVED = 'Nothing was saved from that click.';

function message(text: string, button?: Button): Message {
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text } }];
  if (button) blocks.push({ type: 'actions', block_id: 'refusal_actions', elements: [button] });
  return { text, blocks };
}

/** A click that does not carry what a button of this app would: forged, or from a much older version. */
export function badClickMessage(): Message {
  return message(
    `That button did not carry what it should, so ${NOTHING_SAVED.toLowerCase()} Type ${code(`${COMMAND} list`)} to start from the frameworks.`,
  );
}

/** A button this version of the app does not know: from an old message, most likely. */
export function oldButtonMessage(): Message {
  return message(
    `That button no longer works: it is from an older message. ${NOTHING_SAVED} Type ${code(`${COMMAND} help`)} to start again.`,
  );
}

/** Why a click was not applied, and the way forward. Nothing was written. */
export function refusalMessage(refusal: Refusal): Message {
  switch (refusal.reason) {
    case 'unknown-framework':
      return message(
        `That framework is no longer available. ${NOTHING_SAVED} ${code(`${COMMAND} list`)} shows the frameworks there are now.`,
      );
    case 'unknown-level':
    case 'unknown-competency':
      return message(
        `That framework has changed since this message was sent, and the ${refusal.reason === 'unknown-level' ? 'level' : 'competency'} is no longer in it. ${NOTHING_SAVED} ${code(`${COMMAND} list`)} shows what there is now.`,
      );
    case 'framework-changed': {
      const level = refusal.levelId ?? refusal.framework.levels[0]?.id ?? '';
      return message(
        `*${escapeText(refusal.framework.role.name)}* has been updated since you started rating. ${NOTHING_SAVED} Your earlier ratings are kept; start again to see the current competencies.`,
        {
          type: 'button',
          action_id: ActionId.startAssessment,
          style: 'primary',
          text: { type: 'plain_text', text: 'Start again' },
          value: encodeValue({ f: refusal.framework.id, l: level, r: 1 }),
        },
      );
    }
    case 'not-started':
      return message(
        `You have no rating in progress for *${escapeText(refusal.framework.role.name)}*. ${NOTHING_SAVED} Type ${code(`${COMMAND} ${refusal.framework.role.id} <level>`)} and press *Rate yourself* to start.`,
      );
    case 'out-of-date': {
      const step = ratingStepMessage(refusal.step);
      const note: KnownBlock = {
        type: 'context',
        elements: [
          { type: 'mrkdwn', text: `That message was out of date. ${NOTHING_SAVED} Here is where you are:` },
        ],
      };
      return { text: step.text, blocks: [note, ...step.blocks] };
    }
  }
}
