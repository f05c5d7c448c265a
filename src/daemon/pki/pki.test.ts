import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSans, ensureServerPki, servingCertFits } from './pki.js';

describe('server PKI', () => {
  const dirs: string[] = [];
  after(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  test('creates a P-256 CA and a serving certificate it signed, with private keys, and reuses them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'lantern-pki-'));
    dirs.push(dir);
    const sans = defaultSans(['lantern.example', '203.0.113.9']);
    assert.ok(sans.includes('localhost') && sans.includes('127.0.0.1'));
    const first = await ensureServerPki(dir, sans);
    const ca = new X509Certificate(first.caCert);
    const serving = new X509Certificate(first.serverCert);
    assert.ok(ca.ca);
    assert.equal(ca.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(Date.parse(ca.validTo) > Date.now() + 9 * 365 * 86_400_000);
    assert.ok(serving.verify(ca.publicKey));
    assert.ok(serving.checkHost('localhost'));
    assert.ok(serving.checkHost('lantern.example'));
    assert.ok(serving.checkIP('127.0.0.1'));
    assert.ok(serving.checkIP('203.0.113.9'));
    for (const key of ['ca.key', 'server.key']) assert.equal((await stat(path.join(dir, key))).mode & 0o777, 0o600, key);

    const again = await ensureServerPki(dir, sans);
    assert.deepEqual(again, first);
    // A new SAN renews the serving certificate but keeps the CA that join tokens pin.
    const more = await ensureServerPki(dir, [...sans, 'other.example']);
    assert.equal(more.caCert, first.caCert);
    assert.notEqual(more.serverCert, first.serverCert);
    assert.ok(servingCertFits(more.serverCert, [...sans, 'other.example']));
    assert.ok(!servingCertFits(first.serverCert, [...sans, 'other.example']));
  });
});
