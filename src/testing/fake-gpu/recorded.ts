/**
 * Vendor tool output in the exact layout real nvidia-smi and npu-smi print (field order, units,
 * [N/A] and error values, tab-separated topo matrix and legend, npu-smi's box table), with made-up
 * UUIDs and readings: no GPU was at hand to record one, so check these against a real machine
 * (scripts/gpu-check) when one is. The FAKE tools print them back and the parsers' tests read them.
 */

/** The fake machines the kit can make. */
export type FakeGpuModel = 'a100x4' | 'h100x8';

/** `nvidia-smi --query-gpu=index,uuid,name,memory.total,mig.mode.current,utilization.gpu,memory.used,power.draw,temperature.gpu --format=csv,noheader,nounits`. */
export const recordedQuery: Record<FakeGpuModel, string> = {
  a100x4: [
    '0, GPU-4f1c2a5e-9b7d-4c2e-8a11-0c6a5d0e1a01, NVIDIA A100-SXM4-80GB, 81920, Disabled, 0, 4, 61.35, 33',
    '1, GPU-4f1c2a5e-9b7d-4c2e-8a11-0c6a5d0e1a02, NVIDIA A100-SXM4-80GB, 81920, Disabled, 37, 20817, 212.47, 47',
    '2, GPU-4f1c2a5e-9b7d-4c2e-8a11-0c6a5d0e1a03, NVIDIA A100-SXM4-80GB, 81920, Disabled, 0, 4, 59.88, 31',
    '3, GPU-4f1c2a5e-9b7d-4c2e-8a11-0c6a5d0e1a04, NVIDIA A100-SXM4-80GB, 81920, Enabled, [N/A], 87, 63.02, 34',
    '',
  ].join('\n'),
  h100x8: Array.from({ length: 8 }, (_, i) => `${i}, GPU-8a2b6c1d-33e4-4f5a-9b6c-7d8e9f0a1b0${i}, NVIDIA H100 80GB HBM3, 81559, Disabled, ${i === 0 ? 98 : 0}, ${i === 0 ? 71234 : 1}, ${i === 0 ? '688.14' : '71.52'}, ${i === 0 ? 64 : 29}`).join('\n') + '\n',
};

/** The same query when one GPU has fallen off the bus (XID 79): the row nvidia-smi prints for it. */
export function recordedErrorRow(index: number, uuid: string, name: string): string {
  return `${index}, ${uuid}, ${name}, 81920, [Unknown Error], [Unknown Error], [Unknown Error], [Unknown Error], [Unknown Error]`;
}

const legend = `
Legend:

  X    = Self
  SYS  = Connection traversing PCIe as well as the SMP interconnect between NUMA nodes (e.g., QPI/UPI)
  NODE = Connection traversing PCIe as well as the interconnect between PCIe Host Bridges within a NUMA node
  PHB  = Connection traversing PCIe as well as a PCIe Host Bridge (typically the CPU)
  PXB  = Connection traversing multiple PCIe bridges (without traversing the PCIe Host Bridge)
  PIX  = Connection traversing at most a single PCIe bridge
  NV#  = Connection traversing a bonded set of # NVLinks
`;

/** `nvidia-smi topo -m`: the a100x4 box has two NVLink-bridged pairs on two sockets; the H100 HGX board is all NV18. */
export const recordedTopology: Record<FakeGpuModel, string> = {
  a100x4: `\tGPU0\tGPU1\tGPU2\tGPU3\tNIC0\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID
GPU0\t X \tNV12\tSYS\tSYS\tPXB\t0-31,64-95\t0\t\tN/A
GPU1\tNV12\t X \tSYS\tSYS\tPXB\t0-31,64-95\t0\t\tN/A
GPU2\tSYS\tSYS\t X \tNV12\tSYS\t32-63,96-127\t1\t\tN/A
GPU3\tSYS\tSYS\tNV12\t X \tSYS\t32-63,96-127\t1\t\tN/A
NIC0\tPXB\tPXB\tSYS\tSYS\t X \t\t\t\t

NIC Legend:

  NIC0: mlx5_0
${legend}`,
  h100x8: `\t${Array.from({ length: 8 }, (_, i) => `GPU${i}`).join('\t')}\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID
${Array.from({ length: 8 }, (_, i) => `GPU${i}\t${Array.from({ length: 8 }, (_, j) => (i === j ? ' X ' : 'NV18')).join('\t')}\t${i < 4 ? '0-55,112-167' : '56-111,168-223'}\t${i < 4 ? 0 : 1}\t\tN/A`).join('\n')}
${legend}`,
};

/** `npu-smi info` on an Atlas 800T A2 with two of its Ascend 910B3 NPUs shown; the second reports Alarm. */
export const recordedNpuSmi = `+------------------------------------------------------------------------------------------------+
| npu-smi 23.0.rc3                 Version: 23.0.rc3                                              |
+---------------------------+---------------+----------------------------------------------------+
| NPU   Name                | Health        | Power(W)    Temp(C)           Hugepages-Usage(page)|
| Chip                      | Bus-Id        | AICore(%)   Memory-Usage(MB)  HBM-Usage(MB)        |
+===========================+===============+====================================================+
| 0     910B3               | OK            | 93.6        40                0    / 0             |
| 0                         | 0000:C1:00.0  | 0           0    / 0          3161 / 65536         |
+===========================+===============+====================================================+
| 1     910B3               | Alarm         | 91.2        41                0    / 0             |
| 0                         | 0000:C2:00.0  | 12          0    / 0          20480/ 65536         |
+===========================+===============+====================================================+
+---------------------------+---------------+----------------------------------------------------+
| NPU     Chip              | Process id    | Process name             | Process memory(MB)      |
+===========================+===============+====================================================+
| No running processes found in NPU 0                                                            |
+===========================+===============+====================================================+
`;
