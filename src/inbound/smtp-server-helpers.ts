// What every SMTP server of Herald's (the mail catcher, the bounce receiver) and the tests' sink
// do the same way: read a message's data stream, and start listening with an error that names
// the server and the address it could not take.
import type { Readable } from 'node:stream';
import type { SMTPServer } from 'smtp-server';

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Listens and resolves to the port taken (port 0 picks a free one). */
export async function listenSmtp(server: SMTPServer, what: string, host: string, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(new Error(`the ${what} cannot listen on ${host}:${port}: ${err.message}`));
    server.server.once('error', onError);
    server.listen(port, host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  return (server.server.address() as { port: number }).port;
}
