import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText, resolveConfig, defaultServer } from './config.js';

describe('config resolution', () => {
  let dir: string;
  let home: string;
  let named: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lcctl-config-'));
    home = join(dir, 'home');
    mkdirSync(join(home, '.lantern'), { recursive: true });
    writeFileSync(join(home, '.lantern', 'config.yaml'), 'server: http://home:1\ntoken: home-token\n');
    named = join(dir, 'admin.yaml');
    writeFileSync(named, `# written by lanternd\nserver: "https://named:6443"\ntoken: 'named-token'\ncaData: ${Buffer.from('-----BEGIN CERTIFICATE-----\nX\n').toString('base64')}\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('flags win over everything', () => {
    const c = resolveConfig({ server: 'http://flag:1', token: 'flag-token' }, { LANTERN_SERVER: 'http://env:1', LANTERN_TOKEN: 'env', LANTERN_CONFIG: named }, home);
    assert.equal(c.server, 'http://flag:1');
    assert.equal(c.token, 'flag-token');
  });

  test('environment comes next', () => {
    const c = resolveConfig({}, { LANTERN_SERVER: 'http://env:1', LANTERN_TOKEN: 'env-token', LANTERN_CONFIG: named }, home);
    assert.equal(c.server, 'http://env:1');
    assert.equal(c.token, 'env-token');
  });

  test('then the file named by LANTERN_CONFIG, with its CA', () => {
    const c = resolveConfig({}, { LANTERN_CONFIG: named }, home);
    assert.equal(c.server, 'https://named:6443');
    assert.equal(c.token, 'named-token');
    assert.match(c.ca ?? '', /BEGIN CERTIFICATE/);
    assert.equal(c.file, named);
  });

  test('then ~/.lantern/config.yaml', () => {
    const c = resolveConfig({}, {}, home);
    assert.equal(c.server, 'http://home:1');
    assert.equal(c.token, 'home-token');
  });

  test('each field falls through on its own', () => {
    const c = resolveConfig({ server: 'http://flag:1' }, {}, home);
    assert.equal(c.server, 'http://flag:1');
    assert.equal(c.token, 'home-token');
  });

  test('nothing configured: the local default server and no token', () => {
    const c = resolveConfig({}, {}, join(dir, 'nohome'));
    assert.equal(c.server, defaultServer);
    assert.equal(c.token, '');
  });

  test('a missing LANTERN_CONFIG file is an error naming it, unless flags already say everything', () => {
    const missing = join(dir, 'nope.yaml');
    assert.throws(() => resolveConfig({}, { LANTERN_CONFIG: missing }, home), new RegExp(`cannot read the config file ${missing}`));
    assert.equal(resolveConfig({ server: 'http://a:1', token: 't' }, { LANTERN_CONFIG: missing }, home).token, 't');
  });

  test('a server without a scheme gets http://', () => {
    assert.equal(resolveConfig({ server: '127.0.0.1:6443', token: 't' }, {}, join(dir, 'nohome')).server, 'http://127.0.0.1:6443');
  });
});

describe('parseConfigText', () => {
  test('reads plain, quoted and commented values; ignores nested keys', () => {
    const c = parseConfigText('server: http://a:1 # the server\ntoken: "t\\"x"\nextra:\n  server: nested\n');
    assert.deepEqual(c, { server: 'http://a:1', token: 't"x', caData: undefined });
  });
  test('reads a block scalar caData', () => {
    const c = parseConfigText('caData: |\n  QUJD\n  REVG\ntoken: t\n');
    assert.equal(c.caData, 'QUJD\nREVG');
    assert.equal(c.token, 't');
  });
});
