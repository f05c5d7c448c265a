import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DockerfileError, jsonForm, parseDockerfile } from './dockerfile.js';
import { envLookup, processWord, processWords } from './expand.js';
import { argDecls, commandArgv, copyArgs, exposedPorts, keyValues, shellArgv, singleWord } from './instructions.js';

const none = (): undefined => undefined;

describe('Dockerfile parser', () => {
  test('stages, names, global ARGs, comments, directives and continuations', () => {
    const df = parseDockerfile([
      '# syntax=docker/dockerfile:1',
      'ARG BASE=busybox',
      '',
      'FROM ${BASE} AS Build',
      '# a comment',
      'RUN echo one \\',
      '  # a comment inside the continuation',
      '    two',
      'from build',
      'COPY --from=build --chown=1:2 /a /b',
      'CMD ["sh"]',
    ].join('\n'));
    assert.deepEqual(df.globalArgs.map((a) => [a.line, a.args]), [[2, 'BASE=busybox']]);
    assert.equal(df.stages.length, 2);
    assert.equal(df.stages[0]!.name, 'build');
    assert.equal(df.stages[0]!.base, '${BASE}');
    const run = df.stages[0]!.instructions[0]!;
    assert.equal(run.keyword, 'RUN');
    assert.equal(run.line, 6);
    assert.equal(run.args, 'echo one     two');
    const copy = df.stages[1]!.instructions[0]!;
    assert.deepEqual(copy.flags, { from: 'build', chown: '1:2' });
    assert.equal(copy.args, '/a /b');
    assert.equal(copy.line, 10);
    assert.equal(df.stages[1]!.instructions[1]!.keyword, 'CMD');
  });

  test('errors name the file and line', () => {
    const bad = (text: string, re: RegExp): void => {
      assert.throws(() => parseDockerfile(text), (e: unknown) => e instanceof DockerfileError && re.test(e.message));
    };
    bad('FROM busybox\nRUN true\n\n\n\n\nFOO bar\n', /^Dockerfile:7: unknown instruction FOO$/);
    bad('RUN true\n', /^Dockerfile:1: RUN before the first FROM/);
    bad('FROM a\nCOPY --frm=x a b\n', /^Dockerfile:2: unknown flag --frm for COPY/);
    bad('FROM a\nWORKDIR\n', /^Dockerfile:2: WORKDIR requires at least one argument/);
    bad('FROM a b c d\n', /^Dockerfile:1: FROM requires one image/);
    bad('FROM a AS x\nFROM b AS x\n', /^Dockerfile:2: duplicate stage name/);
    bad('# only a comment\n', /no FROM instruction/);
    assert.throws(() => parseDockerfile('FROM a\nONBUILD RUN x\n', 'my.Dockerfile'), /^Error: my\.Dockerfile:2: ONBUILD is not supported/);
  });

  test('exec and shell forms', () => {
    assert.deepEqual(jsonForm('["a", "b c"]'), ['a', 'b c']);
    assert.equal(jsonForm('[not json'), undefined);
    assert.deepEqual(commandArgv('echo $HOME', ['/bin/sh', '-c']), ['/bin/sh', '-c', 'echo $HOME']);
    assert.deepEqual(commandArgv('["/bin/echo", "hi"]', ['/bin/sh', '-c']), ['/bin/echo', 'hi']);
    const df = parseDockerfile('FROM a\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nSHELL /bin/sh\n');
    assert.deepEqual(shellArgv('Dockerfile', df.stages[0]!.instructions[0]!), ['/bin/ash', '-eo', 'pipefail', '-c']);
    assert.throws(() => shellArgv('Dockerfile', df.stages[0]!.instructions[1]!), /Dockerfile:3: SHELL requires the arguments to be in JSON form/);
  });
});

describe('variable substitution', () => {
  const env = envLookup(['NAME=world', 'EMPTY=', 'DIR=/srv/app']);
  test('$VAR, ${VAR}, defaults and alternatives as Docker expands them', () => {
    assert.equal(processWord('hello $NAME', env), 'hello world');
    assert.equal(processWord('${NAME}s', env), 'worlds');
    assert.equal(processWord('${MISSING:-fallback}', env), 'fallback');
    assert.equal(processWord('${EMPTY:-fallback}', env), 'fallback');
    assert.equal(processWord('${EMPTY-fallback}', env), '');
    assert.equal(processWord('${NAME:+set}', env), 'set');
    assert.equal(processWord('${MISSING:+set}', env), '');
    assert.equal(processWord('${MISSING:-$DIR/x}', env), '/srv/app/x');
    assert.equal(processWord('$MISSING', env), '');
    assert.equal(processWord('cost \\$5 and $', env), 'cost $5 and $');
    assert.equal(processWord("'$NAME' \"$NAME\"", env), '$NAME world');
    assert.throws(() => processWord('${NAME', env), /missing '}'/);
  });

  test('words split on unquoted spaces only', () => {
    assert.deepEqual(processWords('a "b c" d\\ e \'f g\'', env), ['a', 'b c', 'd e', 'f g']);
  });

  test('ENV and LABEL pairs, including the legacy form', () => {
    const df = parseDockerfile('FROM a\nENV A=1 B="two words" C=$DIR/bin\nENV OLD some value\nLABEL "x.y"="z" q=\nENV ${NAME}\n');
    const ins = df.stages[0]!.instructions;
    assert.deepEqual(keyValues('Dockerfile', ins[0]!, env), [['A', '1'], ['B', 'two words'], ['C', '/srv/app/bin']]);
    assert.deepEqual(keyValues('Dockerfile', ins[1]!, env), [['OLD', 'some value']]);
    assert.deepEqual(keyValues('Dockerfile', ins[2]!, env), [['x.y', 'z'], ['q', '']]);
    assert.throws(() => keyValues('Dockerfile', ins[3]!, env), /Dockerfile:5: ENV \$\{NAME\} needs a value/);
  });

  test('ARG, COPY, EXPOSE, WORKDIR arguments', () => {
    const df = parseDockerfile('FROM a\nARG V=1 W\nCOPY ["a b", "$DIR/"]\nCOPY x y $DIR\nEXPOSE 80 53/udp 8000-8001\nWORKDIR ${DIR:-/}\nEXPOSE http\n');
    const ins = df.stages[0]!.instructions;
    assert.deepEqual(argDecls('Dockerfile', ins[0]!, none), [{ name: 'V', value: '1' }, { name: 'W' }]);
    assert.deepEqual(copyArgs('Dockerfile', ins[1]!, env), { sources: ['a b'], dest: '/srv/app/' });
    assert.deepEqual(copyArgs('Dockerfile', ins[2]!, env), { sources: ['x', 'y'], dest: '/srv/app' });
    assert.deepEqual(exposedPorts('Dockerfile', ins[3]!, env), ['80/tcp', '53/udp', '8000/tcp', '8001/tcp']);
    assert.equal(singleWord('Dockerfile', ins[4]!, env), '/srv/app');
    assert.throws(() => exposedPorts('Dockerfile', ins[5]!, env), /Dockerfile:7: invalid port "http"/);
  });
});
