/** Types for mentions.js (the page is plain JavaScript; tsconfig does not enable allowJs). */

export type Person = { id: string; name: string };
export type UserGroup = { id: string; handle: string; name: string; count?: number };
export type Mentionable =
  | { kind: 'person'; id: string; name: string }
  | { kind: 'group'; id: string; handle: string; name: string; count?: number };

export const MAX_MATCHES: number;
export function mentionLabel(m: Mentionable): string;
export function slackMention(m: Mentionable): string;
export function mentionAt(text: string, caret: number): { start: number; query: string } | undefined;
export function matchMentionables(
  query: string,
  people: readonly Person[],
  groups: readonly UserGroup[],
): Mentionable[];
export function toSlackText(text: string, picked: readonly Mentionable[]): string;
export function fromSlackText(
  text: string,
  people: readonly Person[],
  groups: readonly UserGroup[],
): { text: string; picked: Mentionable[] };
