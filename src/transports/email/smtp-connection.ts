// One SMTP client connection for the lean transport: connect (plain or implicit TLS), greeting,
// EHLO (HELO as fallback), STARTTLS, AUTH PLAIN/LOGIN, then a pipe that writes any number of
// commands in one socket write and hands each reply, in order, to the command that asked for it
// (RFC 2920 pipelining depends on replies coming back in command order).
//
// It never throws or rejects for what the server or the network did: a reply is an SmtpReply, and
// no reply (refused, reset, closed, timed out) is an SmtpFailure saying what happened. Once a
// connection has failed, every awaited and every later reply is that same failure.
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import tls from 'node:tls';

export interface SmtpReply {
  code: number;
  /** The reply as sent, multi-line replies joined with "\n": "250 2.0.0 Ok: queued as 1A2B". */
  response: string;
}

export interface SmtpFailure {
  /** What happened, for the ledger: "connection refused talking to mx:25: … (ECONNREFUSED)". */
  failure: string;
  timedOut: boolean;
}

export type SmtpAnswer = SmtpReply | SmtpFailure;

export function isReply(answer: SmtpAnswer): answer is SmtpReply {
  return 'code' in answer;
}

export interface SmtpCapabilities {
  pipelining: boolean;
  /** The SIZE limit in octets; null when not advertised, 0 when advertised without a limit. */
  size: number | null;
  eightBitMime: boolean;
  startTls: boolean;
  auth: string[];
}

export interface SmtpEndpoint {
  host: string;
  port: number;
  /** smtps://: TLS from the first byte. */
  implicitTls: boolean;
  /** Upgrade with STARTTLS when the server offers it (smtp:// without ?tls=off). */
  startTls: boolean;
  rejectUnauthorized: boolean;
  auth: { user: string; pass: string } | null;
  /** The name given in EHLO. */
  clientName: string;
  connectMs: number;
  greetingMs: number;
  /** Inactivity while a reply is awaited ends the connection; while idle, onIdle is called. */
  socketMs: number;
}

export interface SmtpConnection {
  readonly capabilities: SmtpCapabilities;
  readonly isTls: boolean;
  /** Set once the connection failed or was closed; then every answer is this failure. */
  readonly failure: SmtpFailure | null;
  /**
   * Writes all chunks in one write (corked: one writev, one TCP segment when they fit) and
   * returns one promise per expected reply, in order. Promises never reject.
   */
  send(chunks: Array<string | Buffer>, replies: number): Promise<SmtpAnswer>[];
  command(line: string): Promise<SmtpAnswer>;
  /** Called when the socket had nothing to do for socketMs (the pool then QUITs it). */
  setIdleHandler(handler: () => void): void;
  /** Called once when the connection fails or closes. */
  setCloseHandler(handler: () => void): void;
  /** QUIT politely (waits at most a second for the reply), then close. */
  quit(): Promise<void>;
}

export type OpenResult = { ok: true; connection: SmtpConnection } | { ok: false; answer: SmtpAnswer; stage: string };

function describeSocketError(err: NodeJS.ErrnoException, target: string): string {
  const code = err.code;
  const what =
    code === 'ECONNREFUSED'
      ? 'connection refused'
      : code === 'ECONNRESET' || code === 'EPIPE'
        ? 'connection reset'
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? 'host not found'
          : err instanceof Error && /certificate|ssl|tls|self.signed/i.test(`${err.message} ${code ?? ''}`)
            ? 'TLS negotiation failed'
            : 'connection failed';
  return `${what} talking to ${target}: ${err.message}${code ? ` (${code})` : ''}`;
}

/** Parses EHLO keywords (the lines after the first). */
function parseCapabilities(response: string): SmtpCapabilities {
  const caps: SmtpCapabilities = { pipelining: false, size: null, eightBitMime: false, startTls: false, auth: [] };
  const lines = response.split('\n').slice(1);
  for (const line of lines) {
    const words = line.slice(4).trim().toUpperCase().split(/[\s=]+/);
    switch (words[0]) {
      case 'PIPELINING':
        caps.pipelining = true;
        break;
      case 'SIZE':
        caps.size = Number(words[1] ?? 0) || 0;
        break;
      case '8BITMIME':
        caps.eightBitMime = true;
        break;
      case 'STARTTLS':
        caps.startTls = true;
        break;
      case 'AUTH':
        caps.auth.push(...words.slice(1));
        break;
    }
  }
  return caps;
}

export async function openSmtpConnection(endpoint: SmtpEndpoint): Promise<OpenResult> {
  const target = `${endpoint.host}:${endpoint.port}`;
  const servername = net.isIP(endpoint.host) ? undefined : endpoint.host;
  let socket: net.Socket;
  let isTls = endpoint.implicitTls;
  let capabilities: SmtpCapabilities = { pipelining: false, size: null, eightBitMime: false, startTls: false, auth: [] };
  let failure: SmtpFailure | null = null;
  let quitting = false;
  let decoder = new StringDecoder('utf8');
  let pending = '';
  let replyLines: string[] = [];
  const waiters: Array<(answer: SmtpAnswer) => void> = [];
  let idleHandler: (() => void) | null = null;
  let closeHandler: (() => void) | null = null;

  function fail(description: string, timedOut = false): void {
    if (failure) return;
    failure = { failure: description, timedOut };
    for (const resolve of waiters.splice(0)) resolve(failure);
    socket.destroy();
    closeHandler?.();
  }

  function onReplyLine(line: string): void {
    if (!/^\d{3}(?:[ -]|$)/.test(line)) {
      fail(`unexpected text from ${target}: ${JSON.stringify(line.slice(0, 200))}`);
      return;
    }
    replyLines.push(line);
    if (line[3] === '-') return;
    const reply: SmtpReply = { code: Number(line.slice(0, 3)), response: replyLines.join('\n') };
    replyLines = [];
    const resolve = waiters.shift();
    if (resolve) {
      resolve(reply);
      return;
    }
    // A reply nobody asked for: typically "421 … closing" on an idle connection.
    fail(`${target} said, unasked: ${reply.response}`);
  }

  function onData(chunk: Buffer): void {
    pending += decoder.write(chunk);
    let newline = pending.indexOf('\n');
    while (newline >= 0 && !failure) {
      const end = newline > 0 && pending.charCodeAt(newline - 1) === 13 ? newline - 1 : newline;
      const line = pending.slice(0, end);
      pending = pending.slice(newline + 1);
      onReplyLine(line);
      newline = pending.indexOf('\n');
    }
  }
  function onError(err: Error): void {
    fail(describeSocketError(err as NodeJS.ErrnoException, target));
  }
  function onClose(): void {
    fail(quitting ? `the connection to ${target} was closed after QUIT` : `the connection was closed by ${target}`);
  }
  function onTimeout(): void {
    if (waiters.length > 0) {
      fail(`timed out (socket) talking to ${target}: no reply within ${endpoint.socketMs} ms`, true);
    } else if (idleHandler) {
      idleHandler();
    } else {
      fail(`the connection to ${target} was idle for ${endpoint.socketMs} ms`, true);
    }
  }
  function attach(s: net.Socket): void {
    s.on('data', onData);
    s.on('error', onError);
    s.on('close', onClose);
    s.on('timeout', onTimeout);
    s.setNoDelay(true);
  }
  function detach(s: net.Socket): void {
    s.off('data', onData);
    s.off('error', onError);
    s.off('close', onClose);
    s.off('timeout', onTimeout);
    s.setTimeout(0);
  }

  function expect(): Promise<SmtpAnswer> {
    if (failure) return Promise.resolve(failure);
    return new Promise((resolve) => waiters.push(resolve));
  }

  function send(chunks: Array<string | Buffer>, replies: number): Promise<SmtpAnswer>[] {
    const answers: Promise<SmtpAnswer>[] = [];
    if (!failure) {
      socket.cork();
      for (const chunk of chunks) socket.write(chunk);
      socket.uncork();
    }
    for (let i = 0; i < replies; i++) answers.push(expect());
    return answers;
  }
  function command(line: string): Promise<SmtpAnswer> {
    return send([`${line}\r\n`], 1)[0];
  }

  /** Resolves with the answer, or a timeout failure after ms (for the greeting). */
  async function within(answer: Promise<SmtpAnswer>, ms: number, what: string): Promise<SmtpAnswer> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SmtpAnswer>((resolve) => {
      timer = setTimeout(() => {
        fail(`timed out (${what}) talking to ${target}: nothing within ${ms} ms`, true);
        resolve(failure!);
      }, ms);
    });
    const result = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    return result;
  }

  // --- connect ---
  const connected = await new Promise<SmtpFailure | null>((resolve) => {
    const s = endpoint.implicitTls
      ? tls.connect({ host: endpoint.host, port: endpoint.port, servername, rejectUnauthorized: endpoint.rejectUnauthorized })
      : net.connect({ host: endpoint.host, port: endpoint.port });
    socket = s;
    const timer = setTimeout(() => {
      s.destroy();
      resolve({ failure: `timed out (connection) talking to ${target}: not connected within ${endpoint.connectMs} ms`, timedOut: true });
    }, endpoint.connectMs);
    s.once(endpoint.implicitTls ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(null);
    });
    s.once('error', (err) => {
      clearTimeout(timer);
      resolve({ failure: describeSocketError(err as NodeJS.ErrnoException, target), timedOut: false });
    });
  });
  if (connected) return { ok: false, answer: connected, stage: 'connect' };
  attach(socket!);

  const connection: SmtpConnection = {
    get capabilities() {
      return capabilities;
    },
    get isTls() {
      return isTls;
    },
    get failure() {
      return failure;
    },
    send,
    command,
    setIdleHandler(handler) {
      idleHandler = handler;
    },
    setCloseHandler(handler) {
      closeHandler = handler;
    },
    async quit() {
      if (failure) return;
      quitting = true;
      await within(command('QUIT'), 1000, 'QUIT');
      socket.end();
      fail(`the connection to ${target} was closed after QUIT`);
    },
  };
  function refused(answer: SmtpAnswer, stage: string): OpenResult {
    // Close without QUIT: the server already ended the dialogue or cannot talk.
    fail(`the connection to ${target} was abandoned at ${stage}`);
    return { ok: false, answer, stage };
  }

  // --- greeting and EHLO ---
  const greeting = await within(expect(), endpoint.greetingMs, 'greeting');
  if (!isReply(greeting) || greeting.code !== 220) return refused(greeting, 'greeting');
  // The greeting has its own timeout (some servers pause before it on purpose); from here on,
  // socket inactivity counts.
  socket!.setTimeout(endpoint.socketMs);

  async function hello(): Promise<SmtpAnswer> {
    const ehlo = await command(`EHLO ${endpoint.clientName}`);
    if (isReply(ehlo) && ehlo.code === 250) {
      capabilities = parseCapabilities(ehlo.response);
      return ehlo;
    }
    if (!isReply(ehlo) || ehlo.code < 500) return ehlo;
    // A server without ESMTP: plain HELO, no extensions.
    const helo = await command(`HELO ${endpoint.clientName}`);
    capabilities = { pipelining: false, size: null, eightBitMime: false, startTls: false, auth: [] };
    return helo;
  }
  let hi = await hello();
  if (!isReply(hi) || hi.code !== 250) return refused(hi, 'EHLO');

  // --- STARTTLS ---
  if (!isTls && endpoint.startTls && capabilities.startTls) {
    const ready = await command('STARTTLS');
    // A refused STARTTLS ends the connection rather than continuing in clear text after asking.
    if (!isReply(ready) || ready.code !== 220) return refused(ready, 'STARTTLS');
    const plain = socket!;
    detach(plain);
    plain.on('error', () => {}); // errors surface on the TLS socket
    const upgraded = await new Promise<SmtpFailure | null>((resolve) => {
      const secure = tls.connect({ socket: plain, servername, rejectUnauthorized: endpoint.rejectUnauthorized });
      socket = secure;
      const timer = setTimeout(() => {
        secure.destroy();
        resolve({ failure: `timed out (TLS) talking to ${target}: no TLS handshake within ${endpoint.connectMs} ms`, timedOut: true });
      }, endpoint.connectMs);
      secure.once('secureConnect', () => {
        clearTimeout(timer);
        secure.removeAllListeners('error');
        resolve(null);
      });
      secure.once('error', (err) => {
        clearTimeout(timer);
        const e = err as NodeJS.ErrnoException;
        resolve({ failure: `TLS negotiation failed talking to ${target}: ${e.message}${e.code ? ` (${e.code})` : ''}`, timedOut: false });
      });
    });
    if (upgraded) {
      socket!.destroy();
      return { ok: false, answer: upgraded, stage: 'STARTTLS' };
    }
    isTls = true;
    decoder = new StringDecoder('utf8');
    pending = '';
    attach(socket!);
    socket!.setTimeout(endpoint.socketMs);
    hi = await hello();
    if (!isReply(hi) || hi.code !== 250) return refused(hi, 'EHLO after STARTTLS');
  }

  // --- AUTH ---
  if (endpoint.auth) {
    const { user, pass } = endpoint.auth;
    let done: SmtpAnswer;
    if (capabilities.auth.includes('PLAIN')) {
      done = await command(`AUTH PLAIN ${Buffer.from(`\0${user}\0${pass}`, 'utf8').toString('base64')}`);
    } else if (capabilities.auth.includes('LOGIN')) {
      done = await command('AUTH LOGIN');
      if (isReply(done) && done.code === 334) done = await command(Buffer.from(user, 'utf8').toString('base64'));
      if (isReply(done) && done.code === 334) done = await command(Buffer.from(pass, 'utf8').toString('base64'));
    } else {
      done = { failure: `${target} offers no AUTH PLAIN or LOGIN${isTls ? '' : ' (it may offer them only over TLS)'}`, timedOut: false };
    }
    if (!isReply(done) || done.code !== 235) return refused(done, 'AUTH');
  }
  return { ok: true, connection };
}
