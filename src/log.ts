import { type Logger, LogLevel } from '@slack/bolt';

const ORDER: Record<LogLevel, number> = {
  [LogLevel.DEBUG]: 10,
  [LogLevel.INFO]: 20,
  [LogLevel.WARN]: 30,
  [LogLevel.ERROR]: 40,
};

/**
 * Bolt's Logger, writing one line per event: time, level, name, message.
 * Error objects are written with their message and cause, not as a dump of the request.
 */
export function createLogger(
  level: LogLevel = LogLevel.INFO,
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Logger {
  let current = level;
  let name = 'competency';
  const log =
    (at: LogLevel) =>
    (...parts: unknown[]): void => {
      if (ORDER[at] < ORDER[current]) return;
      write(
        redact(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${parts.map(format).join(' ')}`),
      );
    };
  return {
    debug: log(LogLevel.DEBUG),
    info: log(LogLevel.INFO),
    warn: log(LogLevel.WARN),
    error: log(LogLevel.ERROR),
    setLevel: (l) => {
      current = l;
    },
    getLevel: () => current,
    setName: (n) => {
      name = n;
    },
  };
}

/**
 * Secrets never reach the log, whatever a library writes at debug level: Slack tokens (`xoxb-…`,
 * rotating `xoxe.xoxb-…` and refresh tokens `xoxe-1-…`, app tokens `xapp-…`), and the OAuth client
 * secret, code and tokens in a request or response written out as JSON or as a form.
 */
const SECRET_PATTERNS: [RegExp, string][] = [
  [/\bxoxe\.xox[a-z]-[A-Za-z0-9-]+/g, 'xoxe.xox…[redacted]'],
  [/\bxox[a-z]-[A-Za-z0-9-]+/g, 'xox…[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-…[redacted]'],
  [/("(?:client_secret|code|refresh_token|access_token)"\s*:\s*)"[^"]*"/g, '$1"[redacted]"'],
  [/\b((?:client_secret|code|refresh_token)=)[^&\s"]+/g, '$1[redacted]'],
];

function redact(line: string): string {
  let out = line;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function format(part: unknown): string {
  if (part instanceof Error) {
    const cause = part.cause === undefined ? '' : ` (cause: ${format(part.cause)})`;
    const stack = part.stack?.split('\n').slice(1, 4).join(' |') ?? '';
    return `${part.name}: ${part.message}${cause}${stack ? ` ${stack.trim()}` : ''}`;
  }
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

export { LogLevel };
