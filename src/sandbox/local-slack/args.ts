/** Reading a Web API call's arguments as Slack does. */

/** A non-empty string argument, or undefined. */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
