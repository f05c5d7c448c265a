/** The FAKE tools' texts: POSIX sh (busybox sh too, so they also run inside a test container). */

/** ROOT/usr/bin/nvidia-smi: answers the provider's query, `topo -m`, and prints `-L` otherwise. */
export const fakeNvidiaSmi = `#!/bin/sh
# FAKE nvidia-smi (Lantern test kit, src/testing/fake-gpu): prints output in the layout of a real
# nvidia-smi; it drives no GPU. A test flips GPU N with ../share/fake-gpu/state/fail-N or gone-N.
d="$(dirname "$0")/../share/fake-gpu"
case "$*" in
  *--query-gpu=*)
    while IFS= read -r line; do
      [ -n "$line" ] || continue
      i="\${line%%,*}"
      if [ -e "$d/state/gone-$i" ]; then printf 'Unable to determine the device handle for GPU0000:%02X:00.0: Unknown Error\\n' $((i + 7)); continue; fi
      if [ -e "$d/state/fail-$i" ]; then cat "$d/error-$i.csv"; continue; fi
      echo "$line"
    done < "$d/query.csv"
    ;;
  "topo -m"*|"topo --matrix"*) cat "$d/topo.txt" ;;
  *) cat "$d/list.txt" ;;
esac
`;

/** ROOT/usr/bin/nvidia-cuda-mps-control: records what it was told in ../share/fake-gpu/mps.log. */
export const fakeMpsControl = `#!/bin/sh
# FAKE nvidia-cuda-mps-control (Lantern test kit): logs its arguments and stdin; runs no MPS server.
d="$(dirname "$0")/../share/fake-gpu"
echo "args: $*" >> "$d/mps.log"
[ -t 0 ] || cat >> "$d/mps.log"
exit 0
`;

/** ROOT/usr/local/sbin/npu-smi: `info` prints the recorded table. */
export function fakeNpuSmi(recorded: string): string {
  return `#!/bin/sh
# FAKE npu-smi (Lantern test kit): prints output in the layout of a real npu-smi; it drives no NPU.
if [ "$1" = info ]; then cat <<'LANTERN_FAKE_EOF'
${recorded}LANTERN_FAKE_EOF
else echo "npu-smi (FAKE): only 'info' is recorded" >&2; exit 2; fi
`;
}

/** A CDI spec (YAML) for two FAKE FPGAs whose device nodes live under devDir. */
export function fakeCdiSpec(devDir: string): string {
  return `# FAKE devices (Lantern test kit): two "FPGAs" that are /dev/null's numbers.
cdiVersion: "0.6.0"
kind: fake.lantern.dev/fpga
devices:
  - name: fpga0
    containerEdits:
      deviceNodes:
        - path: /dev/fake-fpga0
          hostPath: ${devDir}/fake-fpga0
      env: ["FAKE_FPGA=0"]
  - name: fpga1
    containerEdits:
      deviceNodes:
        - path: /dev/fake-fpga1
          hostPath: ${devDir}/fake-fpga1
      env: ["FAKE_FPGA=1"]
containerEdits:
  env: ["FAKE_FPGA_DRIVER=1.0"]
`;
}
