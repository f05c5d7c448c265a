/** The part of a connection this needs: what http's req.socket and an upgraded socket both are. */
export interface Closable { destroy(): void; once(event: 'close', cb: () => void): unknown; readonly destroyed: boolean }

/**
 * The connections each node's credential was used on (keep-alive requests, watches, its tunnel),
 * so revoking the credential can cut them at once instead of when they next send a request.
 */
export class NodeConnections {
  private readonly byNode = new Map<string, Set<Closable>>();

  /** Remember that `socket` carried a request of node `name` (until it closes). */
  track(name: string, socket: Closable): void {
    if (socket.destroyed) return;
    let set = this.byNode.get(name);
    if (set === undefined) { set = new Set(); this.byNode.set(name, set); }
    if (set.has(socket)) return;
    set.add(socket);
    socket.once('close', () => {
      set.delete(socket);
      if (set.size === 0 && this.byNode.get(name) === set) this.byNode.delete(name);
    });
  }

  /** Destroy every connection node `name` used; the number closed. */
  closeAll(name: string): number {
    const set = this.byNode.get(name);
    if (set === undefined) return 0;
    this.byNode.delete(name);
    for (const s of set) s.destroy();
    return set.size;
  }
}
