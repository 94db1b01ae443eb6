import { createServer, type AddressInfo, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../log.ts';
import {
  MailConfigError,
  PermanentDeliveryError,
  transportFromConfig,
  type MailTransport,
} from './transport.ts';

const from = 'No Wrong Door <no-reply@nwd.example.org>';
const link = 'https://nwd.example.org/invitations/accept/synthetic-token-0123456789abcdef';
const email = {
  to: 'staff@example.org',
  subject: 'Your No Wrong Door invitation',
  text: `Hello,\n\nTo accept, open this link and choose a password:\n${link}\n\nNo Wrong Door`,
};

function collector(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

interface Received {
  mailFrom: string[];
  rcptTo: string[];
  data: string[];
}

/** Just enough SMTP for one client: 220, EHLO/HELO → 250, MAIL/RCPT → 250, DATA → 354, '.' → 250, QUIT → 221. */
async function fakeSmtpServer(options: { refuseRecipient?: boolean } = {}) {
  const received: Received = { mailFrom: [], rcptTo: [], data: [] };
  const server: Server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let message: string[] = [];
    socket.write('220 fake.example.org ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            received.data.push(message.join('\r\n'));
            message = [];
            socket.write('250 2.0.0 queued\r\n');
          } else {
            message.push(line.startsWith('..') ? line.slice(1) : line);
          }
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250 fake.example.org\r\n');
        else if (verb === 'MAIL') {
          received.mailFrom.push(line);
          socket.write('250 2.1.0 ok\r\n');
        } else if (verb === 'RCPT') {
          received.rcptTo.push(line);
          socket.write(
            options.refuseRecipient ? '550 5.1.1 <staff@example.org> unknown\r\n' : '250 2.1.5 ok\r\n',
          );
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
        } else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Undoes quoted-printable soft line breaks and escapes, as a mail reader would. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

describe('SMTP transport', () => {
  it('delivers the message with its link to an SMTP server', async () => {
    const server = await fakeSmtpServer();
    cleanups.push(server.close);
    const logs = collector();
    const transport = transportFromConfig({
      smtpUrl: server.url,
      from,
      log: createLogger('info', logs.stream),
    });
    cleanups.push(() => transport.close());
    expect(transport.kind).toBe('smtp');
    await transport.send(email);
    expect(server.received.mailFrom).toEqual(['MAIL FROM:<no-reply@nwd.example.org>']);
    expect(server.received.rcptTo).toEqual(['RCPT TO:<staff@example.org>']);
    expect(server.received.data).toHaveLength(1);
    const message = server.received.data[0] ?? '';
    expect(message).toMatch(/^Subject: Your No Wrong Door invitation$/m);
    expect(message).toMatch(/^To: staff@example.org$/m);
    expect(message).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(decodeQuotedPrintable(message)).toContain(link);
    // The structured log names the SMTP host, never the recipient or the link.
    expect(logs.text()).toContain('Emails are sent by SMTP');
    expect(logs.text()).not.toContain('staff@example.org');
    expect(logs.text()).not.toContain('synthetic-token');
  });

  it('treats a refused recipient as a permanent failure', async () => {
    const server = await fakeSmtpServer({ refuseRecipient: true });
    cleanups.push(server.close);
    const transport = transportFromConfig({ smtpUrl: server.url, from, log: createLogger('silent') });
    cleanups.push(() => transport.close());
    await expect(transport.send(email)).rejects.toBeInstanceOf(PermanentDeliveryError);
    expect(server.received.data).toHaveLength(0);
  });

  it('refuses a URL that is not smtp:// or smtps://, without repeating it', () => {
    for (const smtpUrl of ['http://user:s3cret@mail.example.org', 'not a url with s3cret']) {
      let error: unknown;
      try {
        transportFromConfig({ smtpUrl, from, log: createLogger('silent') });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(MailConfigError);
      expect((error as Error).message).not.toContain('s3cret');
    }
  });

  it('refuses a From address that is not one', () => {
    for (const bad of ['nobody', 'a@b.example\r\nBcc: x@y.example', '']) {
      expect(() => transportFromConfig({ from: bad, log: createLogger('silent') })).toThrow(MailConfigError);
    }
  });
});

describe('console transport', () => {
  it('prints the email, labelled as not sent, for local development', async () => {
    const out = collector();
    const logs = collector();
    const transport: MailTransport = transportFromConfig({
      from,
      log: createLogger('info', logs.stream),
      console: out.stream,
    });
    expect(transport.kind).toBe('console');
    await transport.send(email);
    const printed = out.text();
    expect(printed).toContain('development: email not sent');
    expect(printed).toContain('To: staff@example.org');
    expect(printed).toContain('Subject: Your No Wrong Door invitation');
    expect(printed).toContain(link);
    // The structured log says emails are printed; it never holds the body.
    expect(logs.text()).toContain('printed to the console');
    expect(logs.text()).not.toContain('synthetic-token');
  });

  it('prints to standard output by default', async () => {
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((
      chunk: string,
      callback?: () => void,
    ) => {
      writes.push(String(chunk));
      callback?.();
      return true;
    }) as typeof process.stdout.write);
    try {
      const transport = transportFromConfig({ from, log: createLogger('silent') });
      await transport.send(email);
      await transport.close();
    } finally {
      spy.mockRestore();
    }
    expect(writes.join('')).toMatch(
      /==== development: email not sent ====[\s\S]*synthetic-token[\s\S]*==== end of email ====/,
    );
  });

  it('is never used in production: emails are refused and stay in the outbox', async () => {
    const out = collector();
    const logs = collector();
    const transport = transportFromConfig({
      from,
      log: createLogger('info', logs.stream),
      production: true,
      console: out.stream,
    });
    expect(transport.kind).toBe('unconfigured');
    await expect(transport.send(email)).rejects.toThrow(/SMTP_URL is not set/);
    expect(out.text()).toBe('');
    expect(logs.text()).not.toContain('synthetic-token');
  });
});
