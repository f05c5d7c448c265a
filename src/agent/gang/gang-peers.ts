/**
 * The pods of the gangs this node runs members of, from a watch rather than a list per second: one
 * informer of a namespace's pods (indexed by group) while some gang member of this node is there. A
 * member that waits for its peers is woken when a pod of its group changes.
 */
import { GangAnnotations } from '../../api/annotations.js';
import type { Pod } from '../../api/pod.js';
import { FollowedInformers, listedWithin, type InformerBase } from '../followed-informers.js';

const groupOf = (p: Pod): string | undefined => p.metadata.annotations?.[GangAnnotations.group];
const sourceOf = (pod: Pod): { resource: string; namespace: string } => ({ resource: 'pods', namespace: pod.metadata.namespace ?? 'default' });

/** How long a look at the group waits for the namespace's first list before it reports a wait. */
const firstListMs = 5000;

/** The gang members of every namespace where this node runs one. */
export class GangPeers {
  private readonly informers: FollowedInformers<Pod>;
  private readonly waiting = new Set<string>();

  constructor(base: InformerBase<Pod>) {
    this.informers = new FollowedInformers(base, (inf) => inf.addIndex('group', (p) => { const g = groupOf(p); return g ? [g] : []; }));
  }

  /** Follow the member's namespace; wake runs, while it waits, when another pod of its group changes. */
  follow(member: Pod, wake: () => void): void {
    const uid = member.metadata.uid ?? '';
    const group = groupOf(member);
    this.informers.follow(sourceOf(member), uid, (p) => {
      if (this.waiting.has(uid) && (p === undefined || (p.metadata.uid !== uid && groupOf(p) === group))) wake();
    });
  }

  /** Whether the member waits for its peers (only waiting members are woken). */
  setWaiting(uid: string, waiting: boolean): void {
    if (waiting) this.waiting.add(uid); else this.waiting.delete(uid);
  }

  unfollow(uid: string): void {
    this.waiting.delete(uid);
    this.informers.unfollow(uid);
  }

  /** The pods of the member's group as the watch knows them; throws when its namespace is not listed yet. */
  async members(member: Pod): Promise<Pod[]> {
    const followed = this.informers.find(sourceOf(member));
    if (!followed) throw new Error('its namespace is not followed');
    if (!await listedWithin(followed, firstListMs)) throw new Error(`not listed yet (${followed.lastError ?? 'waiting for the API'})`);
    return followed.informer.byIndex('group', groupOf(member) ?? '');
  }

  stop(): void { this.informers.stop(); }
}
