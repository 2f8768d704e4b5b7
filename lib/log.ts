import pino, { type Logger } from 'pino';

/**
 * Structured JSON logs (pino) to stdout. Secrets are redacted by key wherever they sit in a log object;
 * callers never log request bodies, raw IPs, passwords, tokens or keys in the first place — redaction is
 * the second line of defence, tested in tests/unit/log.test.ts.
 */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'passwordHash',
  'secret',
  'token',
  'sessionToken',
  'accessToken',
  'refreshToken',
  'authorization',
  'cookie',
  'set-cookie',
  'key',
  'ip',
  'rawIp',
  'totp',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.cookie',
  'headers.authorization',
];

const g = globalThis as unknown as { __maskpatrolLogger?: Logger };

export function createLogger(destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
      base: { app: 'maskpatrol' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // errors are serialised by name/message/stack only; we never attach request bodies to them
      serializers: { err: pino.stdSerializers.err },
    },
    destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** The process-wide logger (shared between the start script and the Next server in one process). */
export function log(): Logger {
  g.__maskpatrolLogger ??= createLogger();
  return g.__maskpatrolLogger;
}

/** Replace the process logger (tests capture log output this way). */
export function setLogger(logger: Logger): void {
  g.__maskpatrolLogger = logger;
}
