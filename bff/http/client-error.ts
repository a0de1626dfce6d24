import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
import { Failure } from '../errors.ts';
import type { Duplex } from 'node:stream';

/**
 * Requests Node's HTTP parser refuses before Express sees them (a header with a control
 * character, a malformed request line, headers over the size limit) get the BFF's JSON error
 * shape too, instead of Node's bare "400 Bad Request".
 */
export function answerClientErrorsAsJson(server: Server): void {
  // Node answers an HTTP/1.1 request without Host with a bare 400 of its own; the router
  // answers it instead, in JSON (requireHost).
  (server as Server & { requireHostHeader: boolean }).requireHostHeader = false;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const [status, reason, code, message] = tooLarge
      ? [431, 'Request Header Fields Too Large', 'headers_too_large', 'The request headers are too large.']
      : [400, 'Bad Request', 'malformed_request', 'The request is not valid HTTP (a header or the request line is malformed).'];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** HTTP/1.1 requires a Host header (RFC 9112 section 3.2): without one, a JSON 400. */
export const requireHost: RequestHandler = (req, _res, next) => {
  if (req.httpVersion === '1.1' && !req.headers.host) {
    throw new Failure('malformed_request', 'The request has no Host header, which HTTP/1.1 requires.');
  }
  next();
};
