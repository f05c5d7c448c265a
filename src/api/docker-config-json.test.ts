import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCKER_CONFIG_JSON_TYPE, parseDockerConfigJson, registryHostOf } from './docker-config-json.js';

const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64');

describe('.dockerconfigjson', () => {
  test('auth (user:password in base64) and username/password forms, by registry host', () => {
    const r = parseDockerConfigJson(DOCKER_CONFIG_JSON_TYPE, b64({ auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('alice:s3:cret').toString('base64') },
      'reg.example:5000': { username: 'bob', password: 'pw' },
    } }));
    assert.ok('auths' in r);
    assert.deepEqual(r.auths.get('docker.io'), { username: 'alice', password: 's3:cret' });
    assert.deepEqual(r.auths.get('reg.example:5000'), { username: 'bob', password: 'pw' });
    assert.equal(registryHostOf('http://Reg.Example:5000/v2/'), 'reg.example:5000');
  });

  test('a wrong type, missing key, non-JSON or auths-less document is an error, never a pass', () => {
    assert.match((parseDockerConfigJson('Opaque', b64({ auths: {} })) as { error: string }).error, /expected kubernetes.io\/dockerconfigjson/);
    assert.match((parseDockerConfigJson(DOCKER_CONFIG_JSON_TYPE, undefined) as { error: string }).error, /missing/);
    assert.match((parseDockerConfigJson(DOCKER_CONFIG_JSON_TYPE, Buffer.from('{nope').toString('base64')) as { error: string }).error, /not JSON/);
    assert.match((parseDockerConfigJson(DOCKER_CONFIG_JSON_TYPE, b64({ registries: {} })) as { error: string }).error, /"auths" object/);
    assert.match((parseDockerConfigJson(DOCKER_CONFIG_JSON_TYPE, b64({ auths: { h: { auth: Buffer.from('nocolon').toString('base64') } } })) as { error: string }).error, /user:password/);
  });
});
