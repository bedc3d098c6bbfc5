/** Small helpers for the errors Node's file system calls throw. */

/** Whether `error` is a system error with this code (`ENOENT`, `ENOSPC`, ...). */
export function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
