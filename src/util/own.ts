/**
 * A record's own value for a key that comes from data (a framework, competency or level id, a
 * person's key), never one inherited from Object.prototype: `own({}, 'constructor')` is undefined,
 * where `{}['constructor']` is the Object function.
 */
export function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
