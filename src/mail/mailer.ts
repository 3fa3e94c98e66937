// Sending e-mail: SMTP (pooled, on a thread of its own) in production, .eml
// files in a folder for development.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
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
  /** A Redis key the SMTP sender sets the moment the relay accepts (see sent-marks.ts). */
  acceptedMark?: string;
};

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** `redisUrl`: where the SMTP thread sets the marks of what the relay accepted (none: not set). */
export function createMailer(config: Config['mail'], redisUrl: string | null = null): Mailer {
  const mailer = config.transport === 'smtp' ? smtpMailer({ url: config.smtpUrl!, from: config.from, redisUrl }) : fileMailer(config.outboxDir, config.from);
  // Subjects carry titles and names from outside: one clean line, whatever was stored before input was cleaned.
  return { send: (mail) => mailer.send({ ...mail, subject: cleanText(mail.subject) }), close: () => mailer.close() };
}

/** Connecting, the server's greeting, and any silence during the conversation (ms). */
export const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as const;

/** What smtp-thread.ts is started with, and what it is asked and answers. */
export type ThreadSettings = { url: string; from: string; redisUrl: string | null };
export type SendRequest = { seq: number; mail: OutgoingMail };
/** What a failed send says: enough of nodemailer's error for the caller to judge it (responseCode). */
export type SendFailure = { message: string; code?: string; responseCode?: number; response?: string };
export type SendAnswer = { seq: number; failure?: SendFailure };

/** Sends through smtp-thread.ts; the thread starts with the mailer, and again after a crash. */
function smtpMailer(settings: ThreadSettings): Mailer {
  type Waiter = { resolve: () => void; reject: (error: Error) => void };
  // Each thread answers for the sends given to it: a thread that dies fails its own, not its successor's.
  let thread: { worker: Worker; waiting: Map<number, Waiter> } | null = null;
  let seq = 0;
  const start = () => {
    // tsx's loader is not inherited by threads: the thread registers it before loading the module.
    // Both resolved here: the thread's own resolution starts from the working folder, which may be anywhere.
    const url = new URL('./smtp-thread.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const worker = new Worker(`import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`, { eval: true, workerData: settings });
    const started = { worker, waiting: new Map<number, Waiter>() };
    worker.unref();
    worker.on('message', ({ seq: n, failure }: SendAnswer) => {
      const waiter = started.waiting.get(n);
      started.waiting.delete(n);
      if (failure) waiter?.reject(Object.assign(new Error(failure.message), failure));
      else waiter?.resolve();
    });
    const lost = (error: Error) => {
      if (thread === started) thread = null;
      for (const waiter of started.waiting.values()) waiter.reject(error);
      started.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', () => lost(new Error('The SMTP thread stopped')));
    return started;
  };
  // Started now, not with the first e-mail: loading the thread takes a moment an e-mail should not wait for.
  thread = start();
  return {
    send(mail) {
      const current = (thread ??= start());
      const request: SendRequest = { seq: ++seq, mail };
      return new Promise((resolve, reject) => {
        current.waiting.set(request.seq, { resolve, reject });
        current.worker.postMessage(request);
      });
    },
    close: () => {
      thread?.worker.postMessage('close');
      thread = null;
    },
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
