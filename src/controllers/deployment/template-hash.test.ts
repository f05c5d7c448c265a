import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sameTemplate, templateHash, templateHashLabel } from './template-hash.js';
import type { PodTemplateSpec } from '../../api/schema/apps.js';

const t = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });

test('the template hash is stable: same template, same hash, whatever the key order; pinned value', () => {
  const a = t('busybox:1');
  const b: PodTemplateSpec = { spec: { containers: [{ image: 'busybox:1', name: 'web' }] }, metadata: { labels: { app: 'web' } } };
  assert.equal(templateHash(a), templateHash(b));
  // A pinned value: a change in the hash would re-roll every Deployment after an upgrade.
  assert.equal(templateHash(a), templateHash(t('busybox:1')));
  assert.match(templateHash(a), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  assert.equal(templateHash(a), PINNED);
});

test('a changed image changes the hash; the hash label itself does not', () => {
  assert.notEqual(templateHash(t('busybox:1')), templateHash(t('busybox:2')));
  const labelled = t('busybox:1');
  labelled.metadata!.labels![templateHashLabel] = 'x';
  assert.equal(templateHash(labelled), templateHash(t('busybox:1')));
  assert.ok(sameTemplate(labelled, t('busybox:1')));
  assert.notEqual(templateHash(t('busybox:1'), 1), templateHash(t('busybox:1')));
});

const PINNED = 'dkmkmdgjdg';
