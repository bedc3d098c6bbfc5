/**
 * Reads a data file too long to be one string (limit.ts), for `competency migrate` to copy it into
 * PostgreSQL: a file an older version of the app wrote past the limit, which no JSON.parse of the
 * whole can read. The file's bytes are walked once to find where each part of the top object and each
 * person begins and ends (outside strings, by nesting depth); then each part is parsed on its own, and
 * the people in batches of at most PEOPLE_BATCH_BYTES, so that no string comes near the limit. Any
 * spacing JSON allows is read (older files were indented). A file that is not JSON throws as
 * JSON.parse does.
 */

const PEOPLE_BATCH_BYTES = 64 * 1024 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;

/** One member of the top object: its key, where its value starts (after the colon) and where it ends. */
type Member = { keyStart: number; keyEnd: number; colon: number; end: number };

export function parseInParts(bytes: Buffer, batchBytes = PEOPLE_BATCH_BYTES): Record<string, unknown> {
  const members: Member[] = [];
  /** Where each person starts (after `{` or `,`) and ends, inside the value of the top member "people". */
  const cuts: number[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let member: Partial<Member> = {};
  let inPeople = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) {
        inString = false;
        if (depth === 1 && member.keyEnd === undefined) member.keyEnd = i + 1;
      }
      continue;
    }
    if (depth === 0 && members.length > 0 && byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09)
      throw new SyntaxError(`The data file has more after its JSON, at byte ${i}`);
    if (byte === QUOTE) {
      inString = true;
      if (depth === 1 && member.keyStart === undefined) member.keyStart = i;
    } else if (byte === 0x7b || byte === 0x5b) {
      depth++;
      if (depth === 2 && byte === 0x7b && inPeople) cuts.push(i + 1);
    } else if (byte === 0x7d || byte === 0x5d) {
      if (depth === 2 && inPeople) cuts.push(i);
      if (depth === 1) member = close(members, member, i, true);
      depth--;
    } else if (byte === COMMA) {
      if (depth === 2 && inPeople) cuts.push(i, i + 1);
      if (depth === 1) member = close(members, member, i, false);
    } else if (byte === COLON && depth === 1 && member.colon === undefined) {
      member.colon = i + 1;
      inPeople = text(bytes, member.keyStart, member.keyEnd) === '"people"';
    }
  }
  if (depth !== 0 || inString) throw new SyntaxError('The data file ends before its JSON does');

  const data: Record<string, unknown> = {};
  for (const { keyStart, keyEnd, colon, end } of members) {
    const key = JSON.parse(text(bytes, keyStart, keyEnd)) as string;
    data[key] =
      key === 'people' && cuts.length > 0
        ? parsePeople(bytes, cuts, batchBytes)
        : JSON.parse(text(bytes, colon, end));
  }
  return data;
}

/**
 * The member read so far ends at `at`: a comma, or the closing brace of the top object (`last`),
 * where only an empty object has no member.
 */
function close(members: Member[], member: Partial<Member>, at: number, last: boolean): Partial<Member> {
  const { keyStart, keyEnd, colon } = member;
  if (keyStart !== undefined && keyEnd !== undefined && colon !== undefined)
    members.push({ keyStart, keyEnd, colon, end: at });
  else if (keyStart !== undefined || !last || members.length > 0)
    throw new SyntaxError(`The data file is not valid JSON near byte ${at}`);
  return {};
}

/** The people, from the places where each one starts and ends (pairs in `cuts`), parsed in batches. */
function parsePeople(bytes: Buffer, cuts: number[], batchBytes: number): Record<string, unknown> {
  const people: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let batch: string[] = [];
  let size = 0;
  const flush = () => {
    Object.assign(people, JSON.parse(`{${batch.join(',')}}`));
    batch = [];
    size = 0;
  };
  for (let i = 0; i + 1 < cuts.length; i += 2) {
    const start = cuts[i] ?? 0;
    const end = cuts[i + 1] ?? 0;
    const part = text(bytes, start, end);
    // An empty object `{}` has one empty part; JSON.parse refuses any other.
    if (cuts.length === 2 && part.trim() === '') continue;
    if (size + (end - start) > batchBytes && batch.length > 0) flush();
    batch.push(part);
    size += end - start;
  }
  if (batch.length > 0) flush();
  return people;
}

function text(bytes: Buffer, start: number | undefined, end: number | undefined): string {
  return bytes.toString('utf8', start, end);
}
