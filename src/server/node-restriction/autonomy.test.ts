import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from '../../api/node.js';
import { AutonomyAnnotation } from '../../api/node-autonomy.js';
import { agentNode, apiError, withNodes } from './testkit.js';

const field = `metadata.annotations.${AutonomyAnnotation}`;
const annotated = (n: Node, annotations: Record<string, string>): Node => ({ ...n, metadata: { ...n.metadata, annotations } });

describe('node restriction: lantern.dev/autonomy is the admin\'s', () => {
  test('a node may not register itself as autonomous', () => withNodes(async (kit) => {
    const n = agentNode('edge-1');
    await assert.rejects(kit.as('edge-1').create('nodes', annotated(n, { [AutonomyAnnotation]: 'true' })), apiError('Forbidden', /set by an admin/, field));
  }));

  test('a node may not set, change or remove it later; an admin may; a write leaving it out keeps it', () => withNodes(async (kit) => {
    await kit.as('edge-1').create('nodes', agentNode('edge-1'));
    const mine = await kit.as('edge-1').get<Node>('nodes', 'edge-1');
    await assert.rejects(kit.as('edge-1').update('nodes', annotated(mine, { ...mine.metadata.annotations, [AutonomyAnnotation]: 'true' })), apiError('Forbidden', /set by an admin/, field));

    const n = await kit.admin.get<Node>('nodes', 'edge-1');
    await kit.admin.update<Node>('nodes', annotated(n, { ...n.metadata.annotations, [AutonomyAnnotation]: 'true' }));
    const now = await kit.as('edge-1').get<Node>('nodes', 'edge-1');
    await assert.rejects(kit.as('edge-1').update('nodes', annotated(now, { ...now.metadata.annotations, [AutonomyAnnotation]: 'false' })), apiError('Forbidden', /set by an admin/, field));

    // The agent's re-registration writes its own view without the annotation: the admin's value stays.
    const { [AutonomyAnnotation]: _dropped, ...rest } = now.metadata.annotations ?? {};
    const written = await kit.as('edge-1').update<Node>('nodes', annotated(now, rest));
    assert.equal(written.metadata.annotations?.[AutonomyAnnotation], 'true');
    assert.equal((await kit.admin.get<Node>('nodes', 'edge-1')).metadata.annotations?.[AutonomyAnnotation], 'true');
  }));
});
