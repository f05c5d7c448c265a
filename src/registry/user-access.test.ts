import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestRegistry, tokens } from './testing.js';
import type { RegistryCaller } from './user-access.js';

// An authorizer as RBAC answers: alice holds `get` on images named t7/app only; bob `use` on all images.
const grants: Record<string, Array<{ verb: string; name?: string }>> = { alice: [{ verb: 'get', name: 't7/app' }], bob: [{ verb: 'images' }] };
const authorizer: NonNullable<RegistryCaller['authorizer']> = {
  decide(user, action) {
    const ok = (grants[user.name] ?? []).some((g) => g.verb === action.verb && (g.name === undefined || g.name === action.name));
    return { allowed: ok, reason: ok ? 'bound' : `no rule grants ${action.verb} on images ${action.name ?? ''}` };
  },
};

describe('registry access for users (RBAC through the caller\'s authorizer)', () => {
  let reg: TestRegistry;
  before(async () => {
    tokens['t7-alice'] = { name: 'alice', role: 'user', authorizer };
    tokens['t7-bob'] = { name: 'bob', role: 'user', authorizer };
    tokens['t7-carol'] = { name: 'carol', role: 'user', authorizer };
    reg = await TestRegistry.start();
    await reg.pushBlob('t7/app', 'layer');
    await reg.pushBlob('t7/other', 'layer');
  });
  after(async () => { for (const t of ['t7-alice', 't7-bob', 't7-carol']) delete tokens[t]; await reg.stop(); });

  test('a user with get on one repository pulls it, and nothing else, and may not push', async () => {
    const blob = '/blobs/sha256:' + (await import('node:crypto')).createHash('sha256').update('layer').digest('hex');
    assert.equal((await reg.fetch(`/v2/t7/app${blob}`, { role: 't7-alice' })).status, 200);
    const other = await reg.fetch(`/v2/t7/other${blob}`, { role: 't7-alice' });
    assert.equal(other.status, 403);
    assert.match(await other.text(), /User \\"alice\\" cannot get images \\"t7\/other\\"/);
    const push = await reg.fetch('/v2/t7/app/blobs/uploads/', { method: 'POST', role: 't7-alice' });
    assert.equal(push.status, 403);
    assert.match(await push.text(), /cannot create images/);
  });

  test('use on images pushes anywhere; a user with no rule only passes the login check', async () => {
    assert.equal((await reg.fetch('/v2/t7/new/blobs/uploads/', { method: 'POST', role: 't7-bob' })).status, 202);
    assert.equal((await reg.fetch('/v2/', { role: 't7-carol' })).status, 200);
    assert.equal((await reg.fetch('/v2/_catalog', { role: 't7-carol' })).status, 403);
    assert.equal((await reg.fetch('/v2/t7/app/tags/list', { role: 't7-carol' })).status, 403);
  });
});
