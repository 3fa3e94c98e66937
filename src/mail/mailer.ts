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

function smtpMailer(url: string, from: string): Mailer {
  // Options go with the url in the first argument: a second argument would be taken as
  // message defaults, and every message would open a connection of its own.
  const transport = nodemailer.createTransport({ url, pool: true, maxConnections: 5 });
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
