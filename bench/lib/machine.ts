import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { capture } from './proc.js';

const firstLine = (s: string): string => s.split('\n')[0]?.trim() ?? '';

/** The CPU model from /proc/cpuinfo. */
function cpuModel(): string {
  try { return /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown'; } catch { return 'unknown'; }
}

/** The docker client to use: the distribution's (matches its dockerd) before any other on PATH. */
export function dockerBin(): string {
  if (process.env.DOCKER) return process.env.DOCKER;
  return existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';
}

/** Load averages now, as `uptime` prints them. */
export function load(): string {
  return os.loadavg().map((l) => l.toFixed(2)).join(', ');
}

/** A few lines naming the machine and the tool versions, for the report. */
export function machineReport(): string {
  const lines = [
    `date (UTC):  ${new Date().toISOString()}`,
    `machine:     ${os.cpus().length} CPUs (${cpuModel()}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, kernel ${os.release()}`,
    `versions:    node ${process.version}; ${firstLine(capture('runc', ['--version']))}; ${firstLine(capture('conmon', ['--version']))}; ${firstLine(capture(dockerBin(), ['--version'])) || 'docker: not installed'}`,
    `load avg:    ${load()} (1/5/15 min; other work on this machine shares the CPUs)`,
  ];
  return lines.join('\n');
}
