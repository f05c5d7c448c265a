import type { Duplex } from 'node:stream';

/**
 * Node's HTTP server takes its own 'error' listener off a connection when it hands it to an
 * 'upgrade' handler, so a client that resets the connection (RST, ECONNRESET) while the answer is
 * still being prepared raised an 'error' with no listener, which ended the whole server. Call this
 * first thing: the error has already destroyed the socket, and whoever holds it hears 'close'.
 */
export function guardUpgradedSocket(socket: Duplex): void {
  socket.on('error', () => undefined);
}

/**
 * True once the client has gone: an answer prepared for it (an exec session, a pod connection) must
 * be dropped. A FIN counts: the upgraded protocols end input with a frame, never with a half-close,
 * and the 'end' may have been read while the answer was prepared, before anyone listened for it.
 */
export function clientGone(socket: Duplex): boolean {
  return socket.destroyed || socket.readableEnded;
}
