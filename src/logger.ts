import { pino, type Logger } from 'pino';

/** JSON logs; personal data is redacted wherever it might slip into a log object. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    redact: { paths: ['email', '*.email', 'password', '*.password', 'token', '*.token', 'orgNumber', '*.orgNumber'], censor: '[redacted]' },
  });
}
