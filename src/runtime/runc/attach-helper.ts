import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ApiError } from '../../api/errors.js';

/**
 * conmon's attach socket is SOCK_SEQPACKET, which Node's net module cannot open. This helper connects
 * to it and turns each packet ([stream byte][data]) into a frame on stdout: [stream][u32 BE length][data];
 * its stdin goes to the container's stdin. A first empty frame on stream 0 says it is connected. It chdirs to the socket dir first, because the full path
 * can be longer than a sockaddr_un holds.
 */
export const ATTACH_HELPER_SOURCE = String.raw`
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) { if (errno == EINTR) continue; return -1; }
    p += w; n -= (size_t)w;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) { fprintf(stderr, "usage: %s <dir holding the attach socket>\n", argv[0]); return 2; }
  if (chdir(argv[1]) < 0) { perror("chdir"); return 1; }
  int s = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
  if (s < 0) { perror("socket"); return 1; }
  struct sockaddr_un a;
  memset(&a, 0, sizeof a);
  a.sun_family = AF_UNIX;
  strcpy(a.sun_path, "attach");
  if (connect(s, (struct sockaddr *)&a, sizeof a) < 0) { perror("connect"); return 1; }
  static char buf[65536 + 8];
  /* An empty frame on stream 0 tells the caller we are connected: output from now on is not lost. */
  if (write_all(1, buf, 5) < 0) return 0;
  struct pollfd fds[2] = { { .fd = 0, .events = POLLIN }, { .fd = s, .events = POLLIN } };
  for (;;) {
    if (poll(fds, 2, -1) < 0) { if (errno == EINTR) continue; perror("poll"); return 1; }
    if (fds[1].revents) {
      /* Receive at offset 4 so that the stream byte lands at buf[4] and the header fits before it. */
      ssize_t r = recv(s, buf + 4, 65536, 0);
      if (r < 0) { if (errno == EINTR) continue; perror("recv"); return 1; }
      if (r == 0) return 0;
      uint32_t len = (uint32_t)(r - 1);
      buf[0] = buf[4];
      buf[1] = (char)(len >> 24); buf[2] = (char)(len >> 16); buf[3] = (char)(len >> 8); buf[4] = (char)len;
      if (write_all(1, buf, (size_t)r + 4) < 0) return 0;
    }
    if (fds[0].fd >= 0 && fds[0].revents) {
      ssize_t r = read(0, buf, 4096);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) { fds[0].fd = -1; shutdown(s, SHUT_WR); continue; }
      if (send(s, buf, (size_t)r, MSG_NOSIGNAL) < 0) { perror("send"); return 1; }
    }
  }
}
`;

/** Compiles the helper once into binDir (named by a hash of its source) with the C compiler `cc` and returns its path. */
export async function ensureAttachHelper(binDir: string, cc = 'cc'): Promise<string> {
  const hash = createHash('sha256').update(ATTACH_HELPER_SOURCE).digest('hex').slice(0, 12);
  const path = join(binDir, `lantern-attach-${hash}`);
  if (existsSync(path)) return path;
  await mkdir(binDir, { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const err = await new Promise<string | undefined>((resolve) => {
    const compiler = spawn(cc, ['-O2', '-o', tmp, '-x', 'c', '-'], { stdio: ['pipe', 'ignore', 'pipe'] });
    let text = '';
    compiler.stderr.on('data', (b: Buffer) => { text += b.toString('utf8'); });
    compiler.on('error', (e) => resolve(e.message));
    compiler.on('close', (code) => resolve(code === 0 ? undefined : text || `cc exited ${code}`));
    compiler.stdin.end(ATTACH_HELPER_SOURCE);
  });
  if (err !== undefined) {
    throw new ApiError('Unavailable', `attach needs a small helper compiled with cc, which failed (${err.trim()}); ` +
      'install a C compiler (e.g. apt-get install gcc) on this node');
  }
  await rename(tmp, path);
  return path;
}
