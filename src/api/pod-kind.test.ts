import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podKind } from './kinds/pod.js';
import type { Container, Pod } from './pod.js';
import type { FieldCause } from './errors.js';

/** A valid pod; tweak modifies a clone before it is returned. */
function pod(tweak: (p: Pod) => void = () => {}): Pod {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'busybox' }] },
  };
  tweak(p);
  return p;
}
const first = (p: Pod): Container => p.spec.containers[0]!;
const fields = (causes: FieldCause[]): string[] => causes.map((c) => c.field);

describe('podKind.validate', () => {
  test('a good pod, including volumes, mounts, ports and resources, has no causes', () => {
    const good = pod((p) => {
      p.spec.volumes = [{ name: 'data', emptyDir: {} }, { name: 'host', hostPath: { path: '/srv' } }, { name: 'claim', persistentVolumeClaim: { claimName: 'pvc' } }];
      p.spec.containers.push({
        name: 'sidecar', image: 'busybox', workingDir: '/work',
        volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'host', mountPath: '/host', readOnly: true }],
        ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 80, hostPort: 8080, protocol: 'UDP' }],
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '1', memory: '1Gi' } },
        securityContext: { runAsNonRoot: true, runAsUser: 1000 },
      });
    });
    assert.deepEqual(podKind.validate(good), []);
  });

  const bad: [string, (p: Pod) => void, FieldCause][] = [
    ['duplicate container names', (p) => p.spec.containers.push({ name: 'c', image: 'x' }),
      { field: 'spec.containers[1].name', message: 'duplicate container name "c"' }],
    ['a container name that is not a DNS label', (p) => { first(p).name = 'My_C'; },
      { field: 'spec.containers[0].name', message: `invalid name "My_C": must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character` }],
    ['a volumeMount naming an undefined volume', (p) => { first(p).volumeMounts = [{ name: 'nope', mountPath: '/x' }]; },
      { field: 'spec.containers[0].volumeMounts[0].name', message: 'volume "nope" is not defined in spec.volumes' }],
    ['a relative mountPath', (p) => { p.spec.volumes = [{ name: 'v', emptyDir: {} }]; first(p).volumeMounts = [{ name: 'v', mountPath: 'data' }]; },
      { field: 'spec.containers[0].volumeMounts[0].mountPath', message: 'must be an absolute path' }],
    ['a relative workingDir', (p) => { first(p).workingDir = 'work'; },
      { field: 'spec.containers[0].workingDir', message: 'must be an absolute path' }],
    ['a limit below the request', (p) => { first(p).resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }; },
      { field: 'spec.containers[0].resources.requests.cpu', message: 'must be less than or equal to cpu limit 1' }],
    ['a 1Gi request over a 1G limit (units compared as bytes)', (p) => { first(p).resources = { requests: { memory: '1Gi' }, limits: { memory: '1G' } }; },
      { field: 'spec.containers[0].resources.requests.memory', message: 'must be less than or equal to memory limit 1G' }],
    ['an invalid quantity', (p) => { first(p).resources = { limits: { memory: '12q' } }; },
      { field: 'spec.containers[0].resources.limits.memory', message: 'invalid quantity "12q": expected a number with an optional suffix such as 500m, 2, 64Mi or 1G' }],
    ['a negative quantity', (p) => { first(p).resources = { requests: { cpu: '-1' } }; },
      { field: 'spec.containers[0].resources.requests.cpu', message: 'must be greater than or equal to 0' }],
    ['runAsNonRoot with runAsUser 0 on the container', (p) => { first(p).securityContext = { runAsNonRoot: true, runAsUser: 0 }; },
      { field: 'spec.containers[0].securityContext.runAsUser', message: 'runAsNonRoot is set, so runAsUser must not be 0' }],
    ['runAsNonRoot on the pod with runAsUser 0 on the container', (p) => { p.spec.securityContext = { runAsNonRoot: true }; first(p).securityContext = { runAsUser: 0 }; },
      { field: 'spec.containers[0].securityContext.runAsUser', message: 'runAsNonRoot is set, so runAsUser must not be 0' }],
    ['an invalid metadata.name', (p) => { p.metadata.name = 'Bad_Name'; },
      { field: 'metadata.name', message: `invalid name "Bad_Name": must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` }],
    ['an invalid namespace', (p) => { p.metadata.namespace = 'Prod'; },
      { field: 'metadata.namespace', message: `invalid name "Prod": must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character` }],
    ['an invalid label value', (p) => { p.metadata.labels = { app: 'web app' }; },
      { field: 'metadata.labels.app', message: `invalid label value "web app": at most 63 characters, alphanumeric, '-', '_' or '.'` }],
    ['an invalid label key', (p) => { p.metadata.labels = { '-app': 'web' }; },
      { field: 'metadata.labels.-app', message: 'invalid label key "-app": an optional DNS subdomain prefix and \'/\', then at most 63 alphanumeric, \'-\', \'_\' or \'.\' characters' }],
    ['a volume with no source', (p) => { p.spec.volumes = [{ name: 'v' }]; },
      { field: 'spec.volumes[0]', message: 'must specify exactly one of hostPath, emptyDir, persistentVolumeClaim, configMap, secret' }],
    ['a volume with two sources', (p) => { p.spec.volumes = [{ name: 'v', emptyDir: {}, hostPath: { path: '/x' } }]; },
      { field: 'spec.volumes[0]', message: 'must specify exactly one of hostPath, emptyDir, persistentVolumeClaim, configMap, secret' }],
    ['duplicate volume names', (p) => { p.spec.volumes = [{ name: 'v', emptyDir: {} }, { name: 'v', emptyDir: {} }]; },
      { field: 'spec.volumes[1].name', message: 'duplicate volume name "v"' }],
    ['a relative hostPath', (p) => { p.spec.volumes = [{ name: 'v', hostPath: { path: 'srv' } }]; },
      { field: 'spec.volumes[0].hostPath.path', message: 'must be an absolute path' }],
    ['a host port published twice', (p) => { first(p).ports = [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81, hostPort: 8080, protocol: 'TCP' }]; },
      { field: 'spec.containers[0].ports[1].hostPort', message: 'host port 8080 is published twice' }],
  ];
  for (const [what, tweak, cause] of bad) {
    test(`refuses ${what}`, () => {
      const causes = podKind.validate(pod(tweak));
      assert.deepEqual(causes, [cause]);
    });
  }

  test('a volumeMount subPath must stay inside its volume (relative, no "..")', () => {
    for (const subPath of ['../../etc', 'a/../../b', '/etc']) {
      const causes = podKind.validate(pod((p) => {
        p.spec.volumes = [{ name: 'v', emptyDir: {} }];
        first(p).volumeMounts = [{ name: 'v', mountPath: '/data', subPath }];
      }));
      assert.deepEqual(fields(causes), ['spec.containers[0].volumeMounts[0].subPath'],
        `BUG: kinds/pod.ts accepts subPath ${JSON.stringify(subPath)}; agent/volumes.ts then path.join()s it onto the volume's host directory and bind-mounts whatever it points to (Kubernetes refuses absolute subPaths and ".." elements)`);
    }
  });

  test('runAsNonRoot false on the container overrides the pod', () => {
    assert.deepEqual(podKind.validate(pod((p) => { p.spec.securityContext = { runAsNonRoot: true }; first(p).securityContext = { runAsNonRoot: false, runAsUser: 0 }; })), []);
  });

  test('schema problems are reported before semantic ones, with the field path', () => {
    const causes = podKind.validate(pod((p) => {
      p.metadata.name = 'Bad_Name';
      (p.spec as unknown as Record<string, unknown>).restartPolicy = 'Sometimes';
    }));
    assert.deepEqual(causes, [{ field: 'spec.restartPolicy', message: 'expected one of "Always", "OnFailure", "Never", got "Sometimes"' }]);
  });

  test('several semantic problems are reported together', () => {
    const causes = podKind.validate(pod((p) => {
      p.metadata.name = 'Bad_Name';
      p.spec.containers.push({ name: 'c', image: 'x', volumeMounts: [{ name: 'nope', mountPath: 'rel' }] });
    }));
    assert.deepEqual(fields(causes), ['metadata.name', 'spec.containers[1].name', 'spec.containers[1].volumeMounts[0].name', 'spec.containers[1].volumeMounts[0].mountPath']);
  });
});

describe('podKind.applyDefaults', () => {
  test('fills restartPolicy, grace period, scheduler, priority, pull policy and port protocol', () => {
    const p = pod((x) => { first(x).ports = [{ containerPort: 80 }]; });
    podKind.applyDefaults(p);
    assert.equal(p.spec.restartPolicy, 'Always');
    assert.equal(p.spec.terminationGracePeriodSeconds, 30);
    assert.equal(p.spec.schedulerName, 'default-scheduler');
    assert.equal(p.spec.priority, 0);
    assert.equal(first(p).imagePullPolicy, 'IfNotPresent');
    assert.equal(first(p).ports?.[0]?.protocol, 'TCP');
  });

  test('keeps the values the user set', () => {
    const p = pod((x) => {
      x.spec.restartPolicy = 'Never';
      x.spec.terminationGracePeriodSeconds = 0;
      first(x).image = 'busybox:latest';
      first(x).imagePullPolicy = 'Always';
      first(x).ports = [{ containerPort: 53, protocol: 'UDP' }];
    });
    podKind.applyDefaults(p);
    assert.equal(p.spec.restartPolicy, 'Never');
    assert.equal(p.spec.terminationGracePeriodSeconds, 0);
    assert.equal(first(p).imagePullPolicy, 'Always');
    assert.equal(first(p).ports?.[0]?.protocol, 'UDP');
  });

  test('an image with :latest still defaults to IfNotPresent (Lantern: edge nodes import images)', () => {
    const p = pod((x) => { first(x).image = 'busybox:latest'; });
    podKind.applyDefaults(p);
    assert.equal(first(p).imagePullPolicy, 'IfNotPresent');
  });
});

describe('podKind.validateUpdate', () => {
  const defaulted = (tweak: (p: Pod) => void = () => {}): Pod => { const p = pod(tweak); podKind.applyDefaults(p); return p; };

  test('changing only the image is allowed', () => {
    const next = defaulted((p) => { first(p).image = 'busybox:2'; });
    assert.deepEqual(podKind.validateUpdate?.(defaulted(), next), []);
  });

  test('binding an unbound pod (setting nodeName) is allowed', () => {
    assert.deepEqual(podKind.validateUpdate?.(defaulted(), defaulted((p) => { p.spec.nodeName = 'n1'; })), []);
  });

  const refused: [string, (p: Pod) => void, string][] = [
    ['moving a bound pod to another node', (p) => { p.spec.nodeName = 'n2'; }, 'spec.nodeName'],
    ['clearing nodeName of a bound pod', (p) => { delete p.spec.nodeName; }, 'spec.nodeName'],
    ['changing a command', (p) => { first(p).command = ['sh']; }, 'spec.containers'],
    ['changing env', (p) => { first(p).env = [{ name: 'A', value: '1' }]; }, 'spec.containers'],
    ['changing resources', (p) => { first(p).resources = { limits: { cpu: '1' } }; }, 'spec.containers'],
    ['adding a container', (p) => { p.spec.containers.push({ name: 'd', image: 'x', imagePullPolicy: 'IfNotPresent' }); }, 'spec.containers'],
  ];
  for (const [what, tweak, field] of refused) {
    test(`refuses ${what}`, () => {
      const old = defaulted((p) => { p.spec.nodeName = 'n1'; });
      const next = defaulted((p) => { p.spec.nodeName = 'n1'; tweak(p); });
      const causes = podKind.validateUpdate?.(old, next) ?? [];
      assert.deepEqual(fields(causes), [field]);
    });
  }

  test('the messages say what may change', () => {
    const old = defaulted((p) => { p.spec.nodeName = 'n1'; });
    const next = defaulted((p) => { p.spec.nodeName = 'n2'; first(p).args = ['x']; });
    assert.deepEqual(podKind.validateUpdate?.(old, next), [
      { field: 'spec.nodeName', message: 'field is immutable once the pod is bound to a node' },
      { field: 'spec.containers', message: 'pod updates may only change containers[*].image (other fields are immutable, as in Kubernetes)' },
    ]);
  });
});

describe('podKind.selectableFields', () => {
  test('exposes name, namespace, node, scheduler and phase', () => {
    const p = pod((x) => { x.spec.nodeName = 'n1'; x.status = { phase: 'Running' }; });
    podKind.applyDefaults(p);
    assert.deepEqual(podKind.selectableFields(p), {
      'metadata.name': 'web', 'metadata.namespace': 'default', 'spec.nodeName': 'n1', 'spec.schedulerName': 'default-scheduler', 'status.phase': 'Running',
    });
  });
});
