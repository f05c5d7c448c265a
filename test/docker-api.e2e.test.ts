/**
 * The Docker Engine API on lanternd's --docker-socket, driven by the real Docker CLI (and plain HTTP for
 * the shapes dockerode reads): a Docker container is a pod of one container on the server's node.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { importBusybox } from './harness/pods.js';
import { PrivateDocker } from './harness/dockerd.js';

interface Run { code: number; stdout: string; stderr: string }

/** One docker CLI call against a socket, with its own client config dir; never throws. */
function docker(sock: string, config: string, args: string[], opts: { uid?: number; input?: string; env?: Record<string, string> } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('docker', ['-H', `unix://${sock}`, ...args], {
      env: { ...process.env, DOCKER_CONFIG: config, DOCKER_CLI_HINTS: 'false', ...opts.env }, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.uid }),
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => { clearTimeout(timer); resolve({ code: code ?? -1, stdout, stderr }); });
  });
}

/** A GET on the socket, parsed as JSON (the calls dockerode makes for list and inspect). */
function getJson<T>(sock: string, p: string): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: sock, path: p, method: 'GET' }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => { try { resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }); } catch (e) { reject(e); } });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Remove what a user network left on the host (network/user: its ln-HASH bridge, the isolation rules
 * naming it, the CNI NAT chains commented with it): the network module keeps them after the Network goes.
 */
function sweepUserNetwork(network: string): void {
  const bridge = `ln-${createHash('sha256').update(network).digest('hex').slice(0, 10)}`;
  spawnSync('ip', ['link', 'delete', bridge]);
  for (const table of ['filter', 'nat']) {
    const rules = spawnSync('iptables-save', ['-t', table], { encoding: 'utf8' }).stdout.split('\n');
    const chains = new Set<string>();
    for (const line of rules) {
      if (!line.startsWith('-A ') || !(line.includes(bridge) || line.includes(`lantern-net-${network}`))) continue;
      const m = /-j (CNI-[0-9a-f]+)/.exec(line);
      if (m) chains.add(m[1]!);
      spawnSync('sh', ['-c', `iptables -t ${table} ${line.replace(/^-A /, '-D ')}`]);
    }
    for (const c of chains) { spawnSync('iptables', ['-t', table, '-F', c]); spawnSync('iptables', ['-t', table, '-X', c]); }
  }
}

describe('the Docker Engine API on --docker-socket, with the real docker CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-k2-docker-'));
  const sock = path.join(dir, 'docker.sock');
  const config = path.join(dir, 'client');
  const server = new TestServer(['--docker-socket', sock]);
  const cli = (args: string[]): Promise<Run> => docker(sock, config, args);
  const ok = async (args: string[]): Promise<string> => {
    const r = await cli(args);
    assert.equal(r.code, 0, `docker ${args.join(' ')} failed (${r.code}):\n${r.stdout}${r.stderr}\n--- lanternd ---\n${server.logs.slice(-3000)}`);
    return r.stdout;
  };

  before(async () => {
    // World-readable directory, so a refused connection below is the socket's own mode at work.
    chmodSync(dir, 0o755);
    await server.start();
    await importBusybox(server, busyboxArchive());
    await server.until('the Docker socket', async () => /serving the Docker Engine API/.test(server.logs));
  });
  after(async () => {
    await cli(['rm', '-f', 'k2-web', 'k2-x', 'k2-ev0', 'k2-node', 'k2-pr', 'K2_Upper.1']).catch(() => undefined);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('docker version talks to Lantern through the negotiated API version', async () => {
    const out = await ok(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Server.Os}}']);
    assert.match(out.trim(), /^\S+ 1\.47 linux$/);
    const info = await ok(['info', '--format', '{{.Name}} {{.OSType}}']);
    assert.equal(info.trim(), 'node-1 linux');
  });

  test('the socket is root-only (mode 0660 root:root): another user cannot connect', async () => {
    const r = await docker(sock, path.join(dir, 'nobody'), ['version'], { uid: 65534 });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /permission denied/i);
  });

  test('run -d, ps, exec, logs, stop, rm: a container\'s life through the CLI', async () => {
    const id = (await ok(['run', '-d', '--name', 'k2-x', 'busybox', 'sh', '-c', 'echo started; echo oops >&2; sleep 300'])).trim();
    assert.match(id, /^[0-9a-f]{32}$/);
    const ps = await ok(['ps', '--format', '{{.ID}} {{.Names}} {{.Image}} {{.Status}}']);
    assert.match(ps, new RegExp(`^${id.slice(0, 12)} k2-x busybox Up `, 'm'));
    const filtered = await ok(['ps', '-q', '--no-trunc', '--filter', 'name=k2-x']);
    assert.equal(filtered.trim(), id);
    const exec = await cli(['exec', 'k2-x', 'echo', 'hi']);
    assert.equal(exec.code, 0, exec.stderr);
    assert.equal(exec.stdout, 'hi\n');
    const failing = await cli(['exec', 'k2-x', 'sh', '-c', 'exit 5']);
    assert.equal(failing.code, 5);
    const piped = await docker(sock, config, ['exec', '-i', 'k2-x', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped in\n' });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.stdout, 'PIPED IN\n');
    const missingCmd = await cli(['exec', 'k2-x', 'no-such-command']);
    assert.equal(missingCmd.code, 127);
    const top = await ok(['top', 'k2-x']);
    assert.match(top, /sleep 300/);
    const stats = await ok(['stats', '--no-stream', '--format', '{{.Name}} {{.MemUsage}}', 'k2-x']);
    assert.match(stats, /^k2-x \d+(\.\d+)?[KMG]iB \/ /m);
    const logs = await cli(['logs', 'k2-x']);
    assert.equal(logs.stdout, 'started\n');
    assert.equal(logs.stderr, 'oops\n');
    const inspect = JSON.parse(await ok(['inspect', 'k2-x'])) as { Id: string; Name: string; State: { Status: string; Running: boolean; StartedAt: string } }[];
    assert.equal(inspect[0]?.Id, id);
    assert.equal(inspect[0]?.Name, '/k2-x');
    assert.equal(inspect[0]?.State.Running, true);
    // Docker names that are not pod names (compose's "proj_web_1", capitals) are kept and answered to.
    await ok(['run', '-d', '--name', 'K2_Upper.1', 'busybox', 'sleep', '300']);
    assert.match(await ok(['ps', '--format', '{{.Names}}']), /^K2_Upper\.1$/m);
    assert.equal((await ok(['exec', 'K2_Upper.1', 'hostname'])).trim(), 'k2-upper-1');
    assert.equal((await ok(['rm', '-f', 'K2_Upper.1'])).trim(), 'K2_Upper.1');
    await ok(['rename', 'k2-x', 'K2_renamed']);
    assert.match(await ok(['ps', '--format', '{{.Names}}']), /^K2_renamed$/m);
    assert.equal((await cli(['inspect', 'k2-x'])).code, 1, 'the old name is free after a rename');
    await ok(['rename', 'K2_renamed', 'k2-x']);
    assert.equal((await ok(['restart', '-t', '1', 'k2-x'])).trim(), 'k2-x');
    const restarted = JSON.parse(await ok(['inspect', 'k2-x'])) as { State: { Running: boolean; StartedAt: string } }[];
    assert.equal(restarted[0]?.State.Running, true);
    assert.ok(Date.parse(restarted[0]!.State.StartedAt) > Date.parse(inspect[0]!.State.StartedAt), 'restart started a new instance');
    assert.equal((await ok(['stop', '-t', '1', 'k2-x'])).trim(), 'k2-x');
    assert.match((await ok(['wait', 'k2-x'])).trim(), /^\d+$/);
    const exited = await ok(['ps', '-a', '--filter', 'status=exited', '--format', '{{.Names}} {{.Status}}']);
    assert.match(exited, /^k2-x Exited \(\d+\)/m);
    assert.equal((await ok(['rm', 'k2-x'])).trim(), 'k2-x');
    const gone = await cli(['inspect', 'k2-x']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /No such (container|object): k2-x/);
  });

  test('docker run --rm in the foreground prints the output and exits with the container\'s status', async () => {
    const events = spawn('docker', ['-H', `unix://${sock}`, 'events', '--format', '{{.Action}} {{.Actor.Attributes.name}}'], { env: { ...process.env, DOCKER_CONFIG: config } });
    let seen = '';
    events.stdout.on('data', (d: Buffer) => { seen += d.toString(); });
    // The stream starts at "now": make sure it is listening before the run it is to see.
    await server.until('docker events to listen', async () => {
      await cli(['rm', '-f', 'k2-ev0']);
      await cli(['create', '--name', 'k2-ev0', 'busybox']);
      return /create k2-ev0/.test(seen);
    });
    await ok(['rm', '-f', 'k2-ev0']);
    const hi = await cli(['run', '--rm', '--name', 'k2-ev', 'busybox', 'echo', 'hi']);
    await server.until('the events of k2-ev', async () => /^destroy k2-ev$/m.test(seen)).finally(() => events.kill());
    assert.deepEqual(seen.split('\n').filter((l) => l.endsWith(' k2-ev')), ['create k2-ev', 'start k2-ev', 'die k2-ev', 'destroy k2-ev']);
    assert.equal(hi.code, 0, hi.stderr);
    assert.equal(hi.stdout, 'hi\n');
    const three = await cli(['run', '--rm', 'busybox', 'sh', '-c', 'exit 3']);
    assert.equal(three.code, 3, three.stderr);
    const stdin = await docker(sock, config, ['run', '--rm', '-i', 'busybox', 'sh', '-c', 'tr a-z A-Z'], { input: 'to the main process\n' });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.equal(stdin.stdout, 'TO THE MAIN PROCESS\n');
    const made = (await ok(['create', '--name', 'k2-pr', 'busybox', 'true'])).trim();
    assert.match(await ok(['container', 'prune', '-f']), new RegExp(`Deleted Containers:\\n${made}\\n`));
    assert.match(await ok(['image', 'prune', '-f']), /Total reclaimed space/);
    const left = await ok(['ps', '-a', '-q']);
    assert.equal(left.trim(), '', 'the --rm containers are removed');
  });

  test('images: docker images lists the node\'s images, rmi of a missing one says so', async () => {
    const out = await ok(['images', '--format', '{{.Repository}}:{{.Tag}}']);
    assert.match(out, /^busybox:latest$/m);
    await ok(['tag', 'busybox', 'k2-copy:v1']);
    assert.match(await ok(['images', '--format', '{{.Repository}}:{{.Tag}}']), /^k2-copy:v1$/m);
    await ok(['rmi', 'k2-copy:v1']);
    const missing = await cli(['rmi', 'k2-nothing:v9']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /No such image/);
  });

  test('build, save and load: an image made through the socket runs, and travels as a docker-save archive', async () => {
    const built = await docker(sock, config, ['build', '-t', 'k2-built:v1', '-'], { input: 'FROM busybox\nRUN echo built > /msg\nCMD ["cat", "/msg"]\n', env: { DOCKER_BUILDKIT: '0' } });
    assert.equal(built.code, 0, built.stderr);
    assert.match(built.stdout, /Successfully tagged k2-built:v1/);
    const ran = await cli(['run', '--rm', 'k2-built:v1']);
    assert.equal(ran.stdout, 'built\n', ran.stderr);
    const archive = path.join(dir, 'k2-built.tar');
    await ok(['save', '-o', archive, 'k2-built:v1']);
    await ok(['rmi', 'k2-built:v1']);
    assert.match(await ok(['load', '-i', archive]), /Loaded image: k2-built:v1/);
    assert.match(await ok(['images', '--format', '{{.Repository}}:{{.Tag}}']), /^k2-built:v1$/m);
  });

  test('networks and volumes: create, ls, inspect, rm map to Network objects and labelled claims', async () => {
    const id = (await ok(['network', 'create', '--subnet', '172.29.7.0/24', 'k2-net'])).trim();
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.match(await ok(['network', 'ls', '--format', '{{.Name}} {{.Driver}}']), /^k2-net bridge$/m);
    assert.equal((await ok(['network', 'inspect', 'k2-net', '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}}'])).trim(), '172.29.7.0/24');
    const dup = await cli(['network', 'create', 'k2-net']);
    assert.notEqual(dup.code, 0);
    assert.match(dup.stderr, /already exists/);
    assert.equal((await ok(['network', 'rm', 'k2-net'])).trim(), 'k2-net');
    assert.doesNotMatch(await ok(['network', 'ls', '--format', '{{.Name}}']), /k2-net/);

    assert.equal((await ok(['volume', 'create', '--label', 'team=k2', 'k2-vol'])).trim(), 'k2-vol');
    assert.match(await ok(['volume', 'ls', '--format', '{{.Name}} {{.Driver}}']), /^k2-vol local$/m);
    assert.equal((await ok(['volume', 'inspect', 'k2-vol', '--format', '{{.Labels.team}}'])).trim(), 'k2');
    const claim = await server.api<{ metadata: { labels: Record<string, string> } }>('GET', '/api/v1/namespaces/default/persistentvolumeclaims/k2-vol');
    assert.equal(claim.body.metadata.labels['lantern.dev/volume'], 'true', 'a Docker volume is a claim lcctl volume ls also lists');
    assert.equal((await ok(['volume', 'rm', 'k2-vol'])).trim(), 'k2-vol');
    const gone = await cli(['volume', 'inspect', 'k2-vol']);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /no such volume/);
  });

  test('docker-compose (Debian\'s 1.29): up, ps, logs, exec, down with a project network and service names', async () => {
    const project = path.join(dir, 'k2c');
    mkdirSync(project);
    writeFileSync(path.join(project, 'docker-compose.yml'), [
      'version: "3.8"',
      'services:',
      '  web:',
      '    image: busybox',
      '    command: sh -c "echo web up; sleep 300"',
      '    labels: { tier: front }',
      '  job:',
      '    image: busybox',
      '    command: sh -c "ping -c 1 -W 5 web >/dev/null && echo reached web"',
      '    depends_on: [web]',
      'networks:',
      '  default:',
      '    ipam: { config: [{ subnet: 172.29.11.0/24 }] }',
      '',
    ].join('\n'));
    const compose = (args: string[]): Promise<Run> => new Promise((resolve) => {
      const child = spawn('docker-compose', ['-p', 'k2c', ...args], { cwd: project, env: { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: config } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
    const must = async (args: string[]): Promise<string> => {
      const r = await compose(args);
      assert.equal(r.code, 0, `docker-compose ${args.join(' ')}:\n${r.stdout}${r.stderr}\n--- lanternd ---\n${server.logs.slice(-2000)}`);
      return r.stdout;
    };
    try {
      await must(['up', '-d']);
      assert.match(await ok(['network', 'ls', '--format', '{{.Name}}']), /^k2c_default$/m);
      await server.until('the job to reach web by its service name', async () => /reached web/.test(await must(['logs', '--no-color', 'job'])));
      const ps = await must(['ps']);
      assert.match(ps, /^k2c_web_1 .* Up/m);
      assert.match(ps, /^k2c_job_1 .* Exit 0/m);
      assert.equal((await must(['exec', '-T', 'web', 'echo', 'hi'])).trim(), 'hi');
      assert.match(await must(['logs', '--no-color', 'web']), /web_1 +\| web up/);
      await must(['down']);
      assert.equal((await ok(['ps', '-a', '-q', '--filter', 'label=com.docker.compose.project=k2c'])).trim(), '');
      assert.doesNotMatch(await ok(['network', 'ls', '--format', '{{.Name}}']), /k2c_default/);
    } finally {
      await compose(['down']);
      sweepUserNetwork('k2c-default');
    }
  });

  test('list and inspect as dockerode reads them (JSON shapes over the socket)', async () => {
    await ok(['run', '-d', '--name', 'k2-web', '--label', 'app=web', 'busybox', 'sleep', '300']);
    const list = await getJson<{ Id: string; Names: string[]; State: string; Labels: Record<string, string> }[]>(sock, '/v1.41/containers/json?all=1&filters=' + encodeURIComponent(JSON.stringify({ label: ['app=web'] })));
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((c) => [c.Names[0], c.State, c.Labels.app]), [['/k2-web', 'running', 'web']]);
    const one = await getJson<{ Id: string; Config: { Image: string; Cmd: string[] } }>(sock, `/containers/${list.body[0]!.Id.slice(0, 8)}/json`);
    assert.equal(one.body.Id, list.body[0]!.Id);
    assert.deepEqual(one.body.Config.Cmd, ['sleep', '300']);
    const missing = await getJson<{ message: string }>(sock, '/v1.47/containers/k2-none/json');
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'No such container: k2-none');
    const bad = await getJson<{ message: string }>(sock, '/containers/json?filters=' + encodeURIComponent('{"colour":["red"]}'));
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /invalid filter 'colour'/);
    await ok(['rm', '-f', 'k2-web']);
  });

  test('bad requests get Docker\'s 4xx with a message, and the daemon keeps serving', async () => {
    const send = (method: string, p: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> => new Promise((resolve, reject) => {
      const req = http.request({ socketPath: sock, path: p, method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => { text += d.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.end(body);
    });
    const cases: [string, string, string | undefined, number, RegExp][] = [
      ['POST', '/v1.47/containers/create', '{not json', 400, /invalid JSON body/],
      ['POST', '/v1.47/containers/create', '[1,2]', 400, /must be a JSON object/],
      ['POST', '/v1.47/containers/create', '{}', 400, /Image: the image to run is required/],
      ['POST', '/v1.47/containers/create?name=-bad', '{"Image":"busybox"}', 400, /Invalid container name \(-bad\)/],
      ['POST', '/v1.47/containers/create', '{"Image":"busybox","HostConfig":{"Memory":-1}}', 400, /HostConfig.Memory: expected a non-negative number/],
      ['POST', '/v1.47/containers/create', '{"Image":"busybox","HostConfig":{"RestartPolicy":{"Name":"sometimes"}}}', 400, /unknown policy "sometimes"/],
      ['POST', '/v1.47/containers/create', '{"Image":"busybox","ExposedPorts":{"http":{}}}', 400, /ExposedPorts: "http" is not PORT/],
      ['POST', '/v1.47/containers/create', JSON.stringify({ Image: 'x'.repeat(2 << 20) }), 413, /larger than/],
      ['POST', '/v1.47/containers/k2-none/start', undefined, 404, /No such container: k2-none/],
      ['POST', '/v1.47/containers/k2-none/attach?stream=1&stdout=1', undefined, 404, /No such container/],
      ['GET', '/v1.47/containers/json?filters=%7Bbroken', undefined, 400, /filters: not JSON/],
      ['POST', '/v1.47/exec/0000/start', '{}', 404, /No such exec instance/],
      ['GET', '/v1.47/swarm', undefined, 404, /does not serve GET \/v1.47\/swarm/],
      ['PUT', '/v1.47/containers/json', undefined, 405, /PUT is not allowed/],
      ['POST', '/v1.47/containers/x/pause', undefined, 501, /not supported/],
    ];
    for (const [method, p, body, status, message] of cases) {
      const res = await send(method, p, body);
      assert.equal(res.status, status, `${method} ${p}: ${res.text}`);
      assert.match((JSON.parse(res.text) as { message: string }).message, message, `${method} ${p}`);
    }
    // A hijack (Upgrade: tcp) that is refused gets a plain answer and the connection closes.
    const raw = await new Promise<string>((resolve, reject) => {
      const c = net.connect(sock, () => c.write('POST /v1.47/containers/k2-none/attach?stream=1&stdout=1 HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n'));
      let text = '';
      c.on('data', (d: Buffer) => { text += d.toString(); });
      c.on('end', () => resolve(text));
      c.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 404 /);
    assert.match(raw, /No such container: k2-none/);
    assert.equal((await getJson<{ ApiVersion: string }>(sock, '/version')).body.ApiVersion, '1.47');
  });

  test('dockerode: version, create, start, wait, logs, list, inspect, remove', async () => {
    const d = new Docker({ socketPath: sock });
    assert.equal((await d.version()).ApiVersion, '1.47');
    const c = await d.createContainer({ Image: 'busybox', Cmd: ['sh', '-c', 'echo from-dockerode; exit 4'], name: 'k2-node', Labels: { suite: 'k2' } });
    await c.start();
    const waited = await c.wait() as { StatusCode: number };
    assert.equal(waited.StatusCode, 4);
    const logs = await c.logs({ stdout: true, stderr: true, follow: false });
    // Non-TTY logs come multiplexed: an 8-byte header (stream 1 = stdout, length) per frame.
    assert.equal(logs[0], 1);
    assert.equal(logs.subarray(8).toString(), 'from-dockerode\n');
    const listed = await d.listContainers({ all: true, filters: { label: ['suite=k2'] } });
    assert.deepEqual(listed.map((x) => [x.Names[0], x.State, x.Image]), [['/k2-node', 'exited', 'busybox']]);
    const info = await c.inspect();
    assert.equal(info.State.ExitCode, 4);
    assert.equal(info.Config.Image, 'busybox');
    await c.remove();
    assert.deepEqual(await d.listContainers({ all: true, filters: { label: ['suite=k2'] } }), []);
  });
});

describe('--docker-socket never replaces a file that is not a socket', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-k2-file-'));
  const file = path.join(dir, 'precious.txt');
  const server = new TestServer(['--docker-socket', file]);
  after(async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); });

  test('lanternd stops with a message naming the path, and the file is untouched', async () => {
    writeFileSync(file, 'keep me');
    await assert.rejects(server.start(), /a file that is not a socket is there/);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
  });
});

describe('the same docker commands against Lantern and against Docker Engine print the same', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lantern-k2-cmp-'));
  const sock = path.join(dir, 'docker.sock');
  const server = new TestServer(['--docker-socket', sock]);
  const engine = new PrivateDocker();
  const both = async (args: string[]): Promise<[Run, Run]> => [await docker(sock, path.join(dir, 'client'), args), engine.cli(args)];

  before(async () => {
    await server.start();
    await importBusybox(server, busyboxArchive());
    await server.until('the Docker socket', async () => /serving the Docker Engine API/.test(server.logs));
    await engine.start();
    engine.must(['load', '-i', busyboxArchive()]);
  });
  after(async () => {
    await docker(sock, path.join(dir, 'client'), ['rm', '-f', 'k2-cmp', 'k2-order']).catch(() => undefined);
    engine.cli(['rm', '-f', 'k2-cmp', 'k2-order']);
    await engine.stop();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('run, exec, logs, ps, stop, rm', async () => {
    const same = async (args: string[], expect: { code: number; stdout?: string }): Promise<void> => {
      const [l, d] = await both(args);
      assert.equal(d.code, expect.code, `Docker Engine: docker ${args.join(' ')}: ${d.stderr}`);
      assert.equal(l.code, d.code, `Lantern: docker ${args.join(' ')}: ${l.stderr}`);
      assert.equal(l.stdout, d.stdout, `docker ${args.join(' ')}`);
      if (expect.stdout !== undefined) assert.equal(l.stdout, expect.stdout);
    };
    await same(['run', '--rm', '--network', 'none', 'busybox', 'echo', 'hi'], { code: 0, stdout: 'hi\n' });
    await same(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', 'exit 3'], { code: 3, stdout: '' });
    const [l, d] = await both(['run', '-d', '--name', 'k2-cmp', '--network', 'none', 'busybox', 'sh', '-c', 'echo a; sleep 300']);
    assert.equal(l.code, 0, l.stderr);
    assert.equal(d.code, 0, d.stderr);
    await same(['exec', 'k2-cmp', 'echo', 'hi'], { code: 0, stdout: 'hi\n' });
    await same(['exec', 'k2-cmp', 'sh', '-c', 'exit 7'], { code: 7 });
    await same(['logs', 'k2-cmp'], { code: 0, stdout: 'a\n' });
    const [lo, dk] = await both(['run', '--network', 'none', '--name', 'k2-order', 'busybox', 'sh', '-c', 'echo 1; sleep 0.1; echo 2 >&2; sleep 0.1; echo 3']);
    assert.equal(lo.code, dk.code);
    // The CLI writes each frame to its own stream at once; through one pipe the order is the log's.
    const merged = async (): Promise<[string, string]> => {
      const sh = (host: string): Promise<Run> => new Promise((resolve) => {
        const child = spawn('sh', ['-c', `docker -H unix://${host} logs k2-order 2>&1`], { env: { ...process.env, DOCKER_CONFIG: path.join(dir, 'client') } });
        let stdout = '';
        child.stdout.on('data', (b: Buffer) => { stdout += b.toString(); });
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr: '' }));
      });
      return [(await sh(sock)).stdout, (await sh(engine.sock)).stdout];
    };
    const [lLogs, dLogs] = await merged();
    assert.equal(lLogs, '1\n2\n3\n');
    assert.equal(lLogs, dLogs);
    await both(['rm', 'k2-order']);
    await same(['ps', '--filter', 'name=k2-cmp', '--format', '{{.Names}} {{.Image}} {{.State}}'], { code: 0, stdout: 'k2-cmp busybox running\n' });
    await same(['stop', '-t', '1', 'k2-cmp'], { code: 0, stdout: 'k2-cmp\n' });
    await same(['ps', '-a', '--filter', 'name=k2-cmp', '--format', '{{.Names}} {{.State}}'], { code: 0, stdout: 'k2-cmp exited\n' });
    await same(['rm', 'k2-cmp'], { code: 0, stdout: 'k2-cmp\n' });
    await same(['ps', '-a', '-q', '--filter', 'name=k2-cmp'], { code: 0, stdout: '' });
  });
});
