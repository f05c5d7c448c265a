import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, busyboxArchive } from './harness/lanternd.js';
import { Cli, explain } from './harness/cli.js';
import { PrivateDocker } from './harness/dockerd.js';

/** A multi-stage Dockerfile over busybox: RUN, COPY (context and --from), ENV, ARG, WORKDIR, CMD, deletions. */
const DOCKERFILE = `# syntax=docker/dockerfile:1
ARG BASE=busybox
FROM \${BASE} AS build
ENV GREETING=hello
RUN mkdir -p /out && echo "$GREETING from build" > /out/greeting.txt && echo built-it
COPY app.txt /out/

FROM busybox
ARG SUFFIX=done
WORKDIR /app
COPY --from=build /out/greeting.txt ./
COPY app.txt data/
COPY . /ctx/
RUN rm /bin/vi \\
 && rm -rf /var/www && mkdir /var/www && echo fresh > /var/www/new.html \\
 && echo "\${SUFFIX:-none}" > suffix.txt
ENV NAME=lantern
COPY --chown=nobody:nobody app.txt /owned/app.txt
USER nobody
RUN id -u > /tmp/who
LABEL org.example.team="build team" version=1
EXPOSE 8080 53/udp
STOPSIGNAL SIGINT
CMD ["sh", "-c", "cat greeting.txt data/app.txt suffix.txt; echo $NAME; pwd; test -e /bin/vi && echo vi-present || echo vi-absent; ls /var/www; ls /ctx; stat -c %u:%g /owned/app.txt; cat /tmp/who"]
`;

const EXPECTED = (app: string): string =>
  `hello from build\n${app}\ndone\nlantern\n/app\nvi-absent\nnew.html\nDockerfile\napp.txt\n65534:65534\n65534\n`;

/** The build output cut into steps: [header, body]. */
function steps(out: string): Array<{ header: string; body: string }> {
  return out.split(/^(?=Step \d+\/\d+ : )/m).filter((s) => s.startsWith('Step ')).map((s) => {
    const nl = s.indexOf('\n');
    return { header: s.slice(0, nl), body: s.slice(nl + 1).split(/^(?=Successfully built )/m)[0] as string };
  });
}

interface Config {
  config: { Labels?: Record<string, string>; ExposedPorts?: Record<string, object>; StopSignal?: string; WorkingDir?: string; User?: string; Env?: string[]; Cmd?: string[] };
  rootfs: { diff_ids: string[] };
  history: Array<{ empty_layer?: boolean }>;
}

/** The stored config of an image, by its short ID, from the node's image store. */
function imageConfig(dataDir: string, shortId: string): Config {
  const blobs = path.join(dataDir, 'agent/images/blobs/sha256');
  const name = readdirSync(blobs).find((f) => f.startsWith(shortId));
  assert.ok(name, `no blob ${shortId} in ${blobs}`);
  return JSON.parse(readFileSync(path.join(blobs, name), 'utf8')) as Config;
}

function builtId(out: string): string {
  const m = /^Successfully built ([0-9a-f]{12})$/m.exec(out);
  assert.ok(m, `no "Successfully built" line:\n${out}`);
  return m[1] as string;
}

describe('lcctl build', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const ctx = mkdtempSync(path.join(tmpdir(), 'lantern-build-ctx-'));
  before(async () => {
    await server.start();
    await cli.importBusybox();
    writeFileSync(path.join(ctx, 'Dockerfile'), DOCKERFILE);
    writeFileSync(path.join(ctx, 'app.txt'), 'app v1\n');
    writeFileSync(path.join(ctx, 'secret.key'), 'do not send\n');
    writeFileSync(path.join(ctx, '.dockerignore'), '*.key\n');
  });
  after(async () => {
    await server.stop();
    rmSync(ctx, { recursive: true, force: true });
  });

  let firstId = '';
  let firstOut = '';

  test('builds a multi-stage Dockerfile that lcctl run runs', async () => {
    const out = await cli.ok(['build', '-t', 'built:1', ctx]);
    firstOut = out;
    assert.match(out, /^Sending build context to Docker daemon {2}\d/m);
    const s = steps(out);
    assert.equal(s.length, 20, out);
    assert.equal(s[1]!.header, 'Step 2/20 : FROM ${BASE} AS build');
    assert.match(s[3]!.body, /^ ---> Running in [0-9a-f]{12}\nbuilt-it\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n$/, 'RUN output is streamed');
    assert.doesNotMatch(out, /Using cache/);
    firstId = builtId(out);
    assert.match(out, /^Successfully tagged built:1$/m);
    assert.match(await cli.ok(['images']), new RegExp(`^built\\s+1\\s+${firstId}\\s`, 'm'));
    assert.equal(await cli.ok(['run', '--rm', 'built:1']), EXPECTED('app v1'));
    const config = imageConfig(server.dataDir, firstId);
    assert.deepEqual(config.config.Labels, { 'org.example.team': 'build team', version: '1' });
    assert.deepEqual(config.config.ExposedPorts, { '8080/tcp': {}, '53/udp': {} });
    assert.equal(config.config.StopSignal, 'SIGINT');
    assert.equal(config.config.WorkingDir, '/app');
    assert.equal(config.config.User, 'nobody');
    assert.ok(config.config.Env?.includes('NAME=lantern'), JSON.stringify(config.config.Env));
    assert.equal(config.config.Cmd?.[0], 'sh');
    // busybox's layer + WORKDIR, 3 COPYs into the final stage, RUN rm, COPY --chown, RUN id.
    assert.equal(config.rootfs.diff_ids.length, 8);
    assert.equal(config.history.filter((h) => !h.empty_layer).length, 8);
    assert.equal(config.history.length, 1 + 14);
  });

  test('a rebuild with nothing changed uses the cache for every step and gives the same image', async () => {
    const out = await cli.ok(['build', '-t', 'built:1', ctx]);
    for (const st of steps(out).filter((x) => !/^Step \d+\/\d+ : (FROM |ARG BASE)/.test(x.header))) {
      assert.match(st.body, /^ ---> Using cache\n ---> [0-9a-f]{12}\n$/, `${st.header}\n${out}`);
    }
    assert.equal(builtId(out), firstId);
    assert.doesNotMatch(out, /Running in/);
  });

  test('changing one context file re-runs only the steps from its COPY on', async () => {
    writeFileSync(path.join(ctx, 'app.txt'), 'app v2\n');
    const out = await cli.ok(['build', '-t', 'built:2', ctx]);
    const s = steps(out);
    // Stage 1 runs again from its COPY app.txt; stage 2 from the first step that sees stage 1 or app.txt.
    const cached = ['ENV GREETING=hello', 'RUN mkdir', 'ARG SUFFIX=done', 'WORKDIR /app'];
    for (const st of s.filter((x) => !/ : (FROM |ARG BASE)/.test(x.header))) {
      if (cached.some((c) => st.header.includes(` : ${c}`))) assert.match(st.body, /Using cache/, `${st.header} should be cached\n${out}`);
      else assert.doesNotMatch(st.body, /Using cache/, `${st.header} should run again\n${out}`);
    }
    assert.equal(s.filter((x) => /Using cache/.test(x.body)).length, cached.length, out);
    const id = builtId(out);
    assert.notEqual(id, firstId);
    assert.equal(await cli.ok(['run', '--rm', 'built:2']), EXPECTED('app v2'));
    assert.equal(await cli.ok(['run', '--rm', 'built:1']), EXPECTED('app v1'), 'the first image is unchanged');
  });

  test('--no-cache runs every step again; --target stops at a stage; build args apply', async () => {
    const out = await cli.ok(['build', '--no-cache', '--target', 'build', '--build-arg', 'BASE=busybox:latest', '-t', 'stage1', ctx]);
    assert.doesNotMatch(out, /Using cache/);
    assert.equal(steps(out).length, 5, out);
    assert.match(out, /^Step 2\/5 : FROM \$\{BASE\} AS build$/m);
    const cat = await cli.ok(['run', '--rm', 'stage1', 'cat', '/out/greeting.txt', '/out/app.txt']);
    assert.equal(cat, 'hello from build\napp v2\n');
  });

  test('-f takes a Dockerfile from outside the context; -q prints only the image ID', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'lantern-build-df-'));
    try {
      const df = path.join(outside, 'app.Dockerfile');
      writeFileSync(df, 'FROM busybox\nCOPY app.txt /x\nCMD ["cat", "/x"]\n');
      const out = await cli.ok(['build', '-q', '-f', df, '-t', 'outside', ctx]);
      assert.match(out, /^sha256:[0-9a-f]{64}\n$/);
      assert.equal(await cli.ok(['run', '--rm', 'outside']), 'app v2\n');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('errors: a failing RUN and a bad Dockerfile name the command or the line', async () => {
    const bad = mkdtempSync(path.join(tmpdir(), 'lantern-build-bad-'));
    try {
      writeFileSync(path.join(bad, 'Dockerfile'), 'FROM busybox\nRUN echo about to fail && exit 3\n');
      const r = await cli.run(['build', bad]);
      assert.equal(r.code, 1, explain(server, r));
      assert.match(r.stdout, /about to fail/);
      assert.match(r.stderr, /The command '\/bin\/sh -c echo about to fail && exit 3' returned a non-zero code: 3/);
      writeFileSync(path.join(bad, 'Dockerfile'), 'FROM busybox\n\nFOO bar\n');
      const r2 = await cli.run(['build', bad]);
      assert.equal(r2.code, 1, explain(server, r2));
      assert.match(r2.stderr, /Dockerfile:3: unknown instruction FOO/);
      // A registry nobody listens on: the pull fails at once, and the error says what to do.
      writeFileSync(path.join(bad, 'Dockerfile'), 'FROM 127.0.0.1:1/not-here:1\n');
      const r3 = await cli.run(['build', bad]);
      assert.equal(r3.code, 1, explain(server, r3));
      assert.match(r3.stderr, /Dockerfile:1: image "127\.0\.0\.1:1\/not-here:1" is not on this node.*pull it first/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  test('first build printed Docker-style steps for metadata instructions', () => {
    const s = steps(firstOut);
    const env = s.find((x) => x.header === 'Step 3/20 : ENV GREETING=hello');
    assert.ok(env, firstOut);
    assert.match(env.body, /^ ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\n$/);
  });
});

describe('lcctl build matches docker build', () => {
  const server = new TestServer();
  const cli = new Cli(server);
  const docker = new PrivateDocker(['--storage-driver=overlay2']);
  const ctx = mkdtempSync(path.join(tmpdir(), 'lantern-build-docker-'));
  before(async () => {
    writeFileSync(path.join(ctx, 'Dockerfile'), DOCKERFILE);
    writeFileSync(path.join(ctx, 'app.txt'), 'app from docker test\n');
    writeFileSync(path.join(ctx, 'secret.key'), 'do not send\n');
    writeFileSync(path.join(ctx, '.dockerignore'), '*.key\n');
    await Promise.all([server.start(), docker.start()]);
    await cli.importBusybox();
  });
  after(async () => {
    await Promise.all([server.stop(), docker.stop()]);
    rmSync(ctx, { recursive: true, force: true });
  });

  test('the image built by each prints the same when run', async () => {
    const load = docker.cli(['load', '-i', busyboxArchive()]);
    assert.equal(load.code, 0, load.stderr);
    const built = docker.cli(['build', '--network', 'none', '-t', 'cmp:1', ctx]);
    assert.equal(built.code, 0, `docker build failed:\n${built.stdout}\n${built.stderr}`);
    const ran = docker.cli(['run', '--rm', '--network', 'none', 'cmp:1']);
    assert.equal(ran.code, 0, ran.stderr);
    await cli.ok(['build', '-t', 'cmp:1', ctx]);
    const ours = await cli.ok(['run', '--rm', 'cmp:1']);
    assert.equal(ours, ran.stdout);
    assert.equal(ours, EXPECTED('app from docker test'));
    // The same steps, one "Step i/N" line each, as the classic builder prints them.
    const headers = (out: string): string[] => out.split('\n').filter((l) => /^Step \d+\/\d+ : /.test(l));
    assert.deepEqual(headers(await cli.ok(['build', '-t', 'cmp:1', ctx])), headers(built.stdout));
    // And, an uncached build, the same lines apart from IDs.
    const norm = (out: string): string => out.replace(/\r/g, '').replace(/\b[0-9a-f]{12}\b/g, 'ID').replace(/Sending build context.*\n/, '');
    assert.equal(norm(await cli.ok(['build', '--no-cache', '-t', 'cmp:1', ctx])), norm(built.stdout));
  });
});
