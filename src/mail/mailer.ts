// Sending e-mail: SMTP (pooled) in production, .eml files in a folder for development.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import { cleanText } from '../domain/text.ts';

export type OutgoingMail = {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
};

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createMailer(config: Config['mail']): Mailer {
  const mailer = config.transport === 'smtp' ? smtpMailer(config.smtpUrl!, config.from) : fileMailer(config.outboxDir, config.from);
  // Subjects carry titles and names from outside: one clean line, whatever was stored before input was cleaned.
  return { send: (mail) => mailer.send({ ...mail, subject: cleanText(mail.subject) }), close: () => mailer.close() };
}

/** Connecting, the server's greeting, and any silence during the conversation (ms). */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

function smtpMailer(url: string, from: string): Mailer {
  // Options go with the url in the first argument: a second argument would be taken as
  // message defaults, and every message would open a connection of its own.
  // Time-outs of seconds, not nodemailer's minutes: a relay that accepts and then says
  // nothing fails the send (a transient error, retried) instead of holding a worker, and shutdown.
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 5, ...SMTP_TIMEOUTS });
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}

/** Writes each message as an .eml file a mail client can open. */
function fileMailer(dir: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      await mkdir(dir, { recursive: true });
      const name = mail.messageId.replace(/[<>]/g, '').replace(/[^A-Za-z0-9.@-]/g, '_');
      await writeFile(join(dir, `${name}.eml`), info.message as Buffer);
    },
    close: () => transport.close(),
  };
}
