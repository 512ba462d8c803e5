/**
 * Log lines that a client can cause (a kick per hostile socket, a refused request) must not let
 * it grow the log without bound: each message is logged at most `perWindow` times a window, then
 * counted, and the count is logged once when the next window opens; string fields are cut to
 * `maxChars`, so an attacker-chosen value (a path, a name, a reason) costs at most that much.
 * Errors (server bugs) are never suppressed, only truncated.
 */
export interface LineLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface LogLimits {
  perWindow: number;
  windowMs: number;
  maxChars: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { perWindow: 20, windowMs: 10_000, maxChars: 200 };

export function limitedLog(log: LineLog, limits: LogLimits = DEFAULT_LOG_LIMITS, now: () => number = Date.now): LineLog {
  const windows = new Map<string, { start: number; lines: number; suppressed: number }>();
  const pass = (level: 'info' | 'warn', obj: object, msg: string) => {
    const t = now();
    let w = windows.get(msg);
    if (!w || t - w.start >= limits.windowMs) {
      if (w && w.suppressed > 0) log[level]({ suppressed: w.suppressed, windowMs: limits.windowMs }, `${msg} (repeated lines suppressed)`);
      // Bounded: one entry per distinct message, and messages are the code's own strings.
      w = { start: t, lines: 0, suppressed: 0 };
      windows.set(msg, w);
    }
    if (w.lines >= limits.perWindow) {
      w.suppressed++;
      return;
    }
    w.lines++;
    log[level](truncated(obj, limits.maxChars), msg);
  };
  return {
    info: (obj, msg) => pass('info', obj, msg),
    warn: (obj, msg) => pass('warn', obj, msg),
    error: (obj, msg) => log.error(truncated(obj, limits.maxChars), msg),
  };
}

function truncated(obj: object, maxChars: number): object {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string' && v.length > maxChars) {
      out ??= { ...obj };
      out[k] = `${v.slice(0, maxChars)}… (${v.length} chars)`;
    }
  }
  return out ?? obj;
}
