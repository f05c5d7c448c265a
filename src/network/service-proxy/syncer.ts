/**
 * Applies the proxy's rules with `nft -f -`, each sync one atomic transaction: a full sync at start
 * (rewriting whatever table a crashed agent left, its extra chains deleted) and periodically
 * (correcting drift while keeping the ClientIP affinity sets), and in between partial syncs of only
 * the Services that changed.
 */
import { runCommand, toolEnv } from '../exec.js';
import { emptyRules, type ServiceRules } from './compile.js';
import { defaultProxyTable } from './names.js';
import { createScript, fullScript, listedNames, partialScript, skeletonNames } from './script.js';

/** Where and how the syncer runs nft. */
export interface SyncerOptions {
  /** The table's name (`ip` family); default lantern-proxy. */
  table?: string;
  /** The nft command and its leading arguments (a test runs it in a namespace: ['ip', 'netns', 'exec', NS, 'nft']). */
  command?: readonly string[];
  log?: (msg: string) => void;
}

/** What one sync did. */
export interface SyncResult {
  kind: 'full' | 'partial' | 'none';
  chainsWritten: number;
  chainsDeleted: number;
}

/** Keeps one nftables table equal to the compiled rules of every Service (by `ns/name`). */
export class NftSyncer {
  private applied = new Map<string, ServiceRules>();
  private fresh = true;
  readonly table: string;
  private readonly command: readonly string[];
  private readonly log: (msg: string) => void;

  constructor(opts: SyncerOptions = {}) {
    this.table = opts.table ?? defaultProxyTable;
    this.command = opts.command ?? ['nft'];
    this.log = opts.log ?? ((m) => console.error(`service-proxy: ${m}`));
  }

  /**
   * Make the table exactly `desired`, in place: chains rewritten, maps refilled, chains and sets no
   * Service wants (a crashed agent's, drift) deleted; the ClientIP sets keep their clients. A table nft
   * refuses to rewrite (an older layout) is deleted and made afresh.
   */
  async fullSync(desired: ReadonlyMap<string, ServiceRules>): Promise<SyncResult> {
    try {
      return await this.rewrite(desired);
    } catch (e) {
      this.log(`rewriting table ${this.table} failed, replacing it: ${e instanceof Error ? e.message : String(e)}`);
      await this.remove();
      return this.rewrite(desired);
    }
  }

  private async rewrite(desired: ReadonlyMap<string, ServiceRules>): Promise<SyncResult> {
    const wanted = new Set<string>(skeletonNames);
    const wantedSets = new Map<string, number>();
    for (const r of desired.values()) {
      for (const c of r.chains.keys()) wanted.add(c);
      for (const m of r.maps.keys()) wanted.add(m);
      for (const [s, timeout] of r.sets) { wanted.add(s); wantedSets.set(s, timeout); }
    }
    const listed = listedNames(await this.nft(['-t', 'list', 'table', 'ip', this.table]).catch(() => ''));
    const stale = { chains: listed.chains.filter((c) => !wanted.has(c)), sets: listed.sets.filter((s) => !wanted.has(s)), maps: listed.maps.filter((m) => !wanted.has(m)) };
    // The kernel finds a chain made earlier in the same transaction by walking the transaction, which is
    // quadratic for thousands of chains: missing chains and sets are made first, empty and unreferenced.
    const have = new Set([...listed.chains, ...listed.sets, ...listed.maps]);
    const missing: string[] = [];
    const missingMaps: string[] = [];
    for (const r of desired.values()) {
      for (const c of r.chains.keys()) if (!have.has(c)) missing.push(c);
      for (const m of r.maps.keys()) if (!have.has(m)) missingMaps.push(m);
    }
    const pre = createScript(this.table, missing, [...wantedSets].filter(([s]) => !have.has(s)), missingMaps);
    await this.nft(['-f', '-'], pre);
    await this.nft(['-f', '-'], fullScript(this.table, desired.values(), { replace: false, stale }));
    this.fresh = false;
    this.applied = new Map(desired);
    let chainsWritten = 0;
    for (const r of desired.values()) chainsWritten += r.chains.size;
    return { kind: 'full', chainsWritten, chainsDeleted: stale.chains.length };
  }

  /** Rewrite only what differs for the Services in `changed`; falls back to a full sync if nft refuses. */
  async partialSync(desired: ReadonlyMap<string, ServiceRules>, changed: Iterable<string>): Promise<SyncResult> {
    if (this.fresh) return this.fullSync(desired);
    const keys = [...new Set(changed)];
    const diff = partialScript(this.table, keys.map((k) => ({ before: this.applied.get(k) ?? emptyRules(), after: desired.get(k) ?? emptyRules() })));
    if (diff.script !== '') {
      try {
        await this.nft(['-f', '-'], diff.script);
      } catch (e) {
        this.log(`partial sync failed, doing a full sync: ${e instanceof Error ? e.message : String(e)}`);
        return this.fullSync(desired);
      }
    }
    for (const k of keys) {
      const r = desired.get(k);
      if (r) this.applied.set(k, r); else this.applied.delete(k);
    }
    return { kind: diff.script === '' ? 'none' : 'partial', chainsWritten: diff.chainsWritten, chainsDeleted: diff.chainsDeleted };
  }

  /** Delete the table (the proxy stops: its Services no longer answer on this node). */
  async remove(): Promise<void> {
    await this.nft(['delete', 'table', 'ip', this.table]).catch((e: unknown) => {
      if (!String(e).includes('No such file')) throw e;
    });
    this.applied.clear();
    this.fresh = true;
  }

  private async nft(args: string[], input?: string): Promise<string> {
    const [file, ...lead] = this.command;
    const r = await runCommand(file!, [...lead, ...args], { input, env: toolEnv(), timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`nft ${args.join(' ')} failed (exit ${r.code}): ${firstLines(r.stderr || r.stdout)}`);
    return r.stdout;
  }
}

/** nft repeats the offending line under each error: the first few lines are enough to act on. */
function firstLines(text: string): string {
  return text.trim().split('\n').slice(0, 6).join('\n');
}
