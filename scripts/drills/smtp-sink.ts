// The SMTP relay the drills' workers send to, in the drill runner's process so
// a drill can switch its behaviour: accept, answer 421 (try later), answer 550
// for one recipient, or refuse connections (nothing listening on the port).
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export type SinkMode = 'accept' | 'tempfail' | 'refuse';

export type Sink = {
  url: string;
  /** Accepted messages per Message-ID (a count above 1 is a duplicate). */
  byMessageId: Map<string, number>;
  /** When each Message-ID arrived (ms since the epoch), to tell how a duplicate came about. */
  arrivedAt: Map<string, number[]>;
  /** The connections open now from these client ports (their session ids). */
  connectionsFrom(ports: Set<number>): string[];
  /** The Message-ID of the last e-mail taken on a connection, if any. */
  lastTakenOn(connection: string): string | undefined;
  /** While true, confirmation e-mails are parsed and kept (the seeding reads their links). */
  collecting: boolean;
  confirmations: { to: string; text: string }[];
  /** Recipients answered 550 so far. */
  rejected: number;
  setMode(mode: SinkMode): Promise<void>;
  /** Answer 550 to RCPT TO for this address (null: nobody). */
  rejectRecipient(address: string | null): void;
  close(): Promise<void>;
};

export async function startSink(): Promise<Sink> {
  const byMessageId = new Map<string, number>();
  const arrivedAt = new Map<string, number[]>();
  const confirmations: { to: string; text: string }[] = [];
  const connections = new Map<string, { remotePort: number; open: boolean; last?: string }>();
  let mode: SinkMode = 'accept';
  let rejectAddress: string | null = null;
  const sink = { rejected: 0, collecting: false } as Sink;

  const fail = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });
  const create = () => {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      closeTimeout: 200,
      logger: false,
      onConnect(session, callback) {
        connections.set(session.id, { remotePort: session.remotePort, open: true });
        callback();
      },
      onClose(session) {
        const connection = connections.get(session.id);
        if (connection) connection.open = false;
      },
      onRcptTo(address, _session, callback) {
        if (mode === 'tempfail') return callback(fail(421, 'Service not available, try again later'));
        if (rejectAddress && address.address === rejectAddress) {
          sink.rejected++;
          return callback(fail(550, 'No such user here'));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          if (mode === 'tempfail') return callback(fail(421, 'Service not available, try again later'));
          const raw = Buffer.concat(chunks).toString('utf8');
          const head = raw.split('\r\n\r\n')[0];
          const id = /^Message-ID:[ \t]*(\S+)/im.exec(head)?.[1] ?? '(none)';
          byMessageId.set(id, (byMessageId.get(id) ?? 0) + 1);
          arrivedAt.set(id, [...(arrivedAt.get(id) ?? []), Date.now()]);
          const connection = connections.get(session.id);
          if (connection) connection.last = id;
          if (sink.collecting) {
            const parsed = await simpleParser(raw);
            if (/Bekräfta|Confirm/.test(parsed.subject ?? '')) confirmations.push({ to: session.envelope.rcptTo[0].address, text: parsed.text ?? '' });
          }
          callback();
        });
      },
    });
    // A worker killed mid-conversation resets its connection: not the sink's problem.
    server.on('error', () => undefined);
    return server;
  };

  let server = create();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return Object.assign(sink, {
    url: `smtp://127.0.0.1:${port}`,
    byMessageId,
    arrivedAt,
    confirmations,
    connectionsFrom: (ports: Set<number>) => [...connections].filter(([, c]) => c.open && ports.has(c.remotePort)).map(([id]) => id),
    lastTakenOn: (connection: string) => connections.get(connection)?.last,
    async setMode(next: SinkMode) {
      if (next === 'refuse' && mode !== 'refuse') await close();
      if (next !== 'refuse' && mode === 'refuse') {
        server = create();
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
      mode = next;
    },
    rejectRecipient(address: string | null) {
      rejectAddress = address;
    },
    close: () => (mode === 'refuse' ? Promise.resolve() : close()),
  });
}
