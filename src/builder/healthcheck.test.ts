import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from './dockerfile.js';
import { healthcheckConfig } from './healthcheck.js';

const ins = (line: string) => parseDockerfile(`FROM a\n${line}\n`).stages[0]!.instructions[0]!;

describe('HEALTHCHECK in a Dockerfile', () => {
  test('shell form, JSON form, NONE and the flags, as Docker stores them', () => {
    assert.deepEqual(healthcheckConfig('Dockerfile', ins('HEALTHCHECK --interval=5s --timeout=2s --start-period=1m --retries=4 CMD curl -f http://localhost/')),
      { Test: ['CMD-SHELL', 'curl -f http://localhost/'], Interval: 5e9, Timeout: 2e9, StartPeriod: 60e9, Retries: 4 });
    assert.deepEqual(healthcheckConfig('Dockerfile', ins('HEALTHCHECK CMD ["check", "-q"]')), { Test: ['CMD', 'check', '-q'] });
    assert.deepEqual(healthcheckConfig('Dockerfile', ins('HEALTHCHECK NONE')), { Test: ['NONE'] });
  });

  test('mistakes name the line and what is expected', () => {
    assert.throws(() => healthcheckConfig('Dockerfile', ins('HEALTHCHECK curl x')), /^Error: Dockerfile:2: HEALTHCHECK needs NONE or CMD/);
    assert.throws(() => healthcheckConfig('Dockerfile', ins('HEALTHCHECK --interval=5 CMD true')), /Dockerfile:2: HEALTHCHECK invalid argument "5" for "--interval"/);
    assert.throws(() => healthcheckConfig('Dockerfile', ins('HEALTHCHECK --retries=x CMD true')), /--retries=x: expected a whole number/);
    assert.throws(() => parseDockerfile('FROM a\nHEALTHCHECK --bogus=1 CMD true\n'), /unknown flag --bogus for HEALTHCHECK/);
  });
});
