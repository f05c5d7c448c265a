/**
 * A FAKE nvidia-cuda-mps-control for the MPS tests (G2): like the real one, `-d` makes the control pipe
 * in $CUDA_MPS_PIPE_DIRECTORY and returns, and `quit` on stdin removes it; every call is logged, with the
 * GPU it was started for, in ROOT/usr/share/fake-gpu/mps.log. It runs no MPS server.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

const script = `#!/bin/sh
# FAKE nvidia-cuda-mps-control (Lantern test kit): makes/removes the control pipe and logs; no MPS server.
d="$(dirname "$0")/../share/fake-gpu"
if [ "$1" = "-d" ]; then
  echo "start gpu=$CUDA_VISIBLE_DEVICES pipe=$CUDA_MPS_PIPE_DIRECTORY" >> "$d/mps.log"
  mkfifo "$CUDA_MPS_PIPE_DIRECTORY/control" 2>/dev/null
  exit 0
fi
read -r cmd
echo "$cmd pipe=$CUDA_MPS_PIPE_DIRECTORY" >> "$d/mps.log"
[ "$cmd" = quit ] && rm -f "$CUDA_MPS_PIPE_DIRECTORY/control"
exit 0
`;

/** Put the fake control program into a fake driver root (replacing the plain one); returns its log file. */
export async function installFakeMps(root: string): Promise<string> {
  await writeFile(path.join(root, 'usr/bin/nvidia-cuda-mps-control'), script, { mode: 0o755 });
  return path.join(root, 'usr/share/fake-gpu/mps.log');
}
