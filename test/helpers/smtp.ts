// A real SMTP server in the test process; every accepted message is parsed.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { to: string[]; raw: string; parsed: ParsedMail };

export type TestSmtp = {
  url: string;
  messages: ReceivedMail[];
  /** Answer the next n messages with this SMTP error instead of accepting them. */
  rejectNext(n: number, code: number, message: string): void;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
};

export async function startSmtp(port = 0): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  let rejections: { left: number; code: number; message: string } | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // Pooled clients keep idle connections open; do not wait long for them on close.
    closeTimeout: 200,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (rejections && rejections.left > 0) {
          rejections.left--;
          const error = Object.assign(new Error(rejections.message), { responseCode: rejections.code });
          return callback(error);
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, parsed: await simpleParser(raw) });
        callback();
      });
    },
  });
  // A client killed mid-conversation resets its connection; that is the client's problem.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    messages,
    rejectNext(left, code, message) {
      rejections = { left, code, message };
    },
    async waitFor(count, timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} e-mails, got ${messages.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return messages;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a message's text that starts with this URL prefix. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const link = mail.parsed.text?.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+`))?.[0];
  if (!link) throw new Error(`no link starting with ${prefix} in: ${mail.parsed.text}`);
  return link;
}

/** Confirms each address by posting to the link in its confirmation e-mail, as its owner would. */
export async function confirmAll(smtp: TestSmtp, publicUrl: string, appUrl: string, emails: string[]): Promise<void> {
  const confirmation = (email: string) => smtp.messages.find((m) => m.to.includes(email) && /Bekräfta|Confirm/.test(m.parsed.subject ?? ''));
  const until = Date.now() + 15_000;
  while (!emails.every(confirmation) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  for (const email of emails) {
    const mail = confirmation(email);
    if (!mail) throw new Error(`no confirmation e-mail to ${email}`);
    const link = linkIn(mail, `${publicUrl}/confirm/`).replace(publicUrl, appUrl);
    const res = await fetch(link, { method: 'POST' });
    if (res.status !== 200) throw new Error(`confirming ${email}: ${res.status}`);
  }
  smtp.messages.length = 0;
}
