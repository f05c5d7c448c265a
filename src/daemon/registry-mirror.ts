import type { LocalRegistry } from '../registry/index.js';
import type { ImageStore } from '../image/types.js';
import { asObject, MediaType, parseJson } from '../image/formats.js';
import { imageManifest } from '../image/distribution/manifest.js';
import { serverRegistryName } from '../image/distribution/server-name.js';

/**
 * Keeps the server's built-in registry holding every named image of the server's own node (import,
 * build, pull, tag), under serverRegistryName's mapping and with byte-identical blobs, so remote
 * agents pull them from the server. Only adds and moves tags; removing an image from the node
 * leaves the registry's copy (delete it with the registry API).
 */
export class RegistryMirror {
  private running: Promise<void> | undefined;
  private again = false;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly images: ImageStore, private readonly registry: LocalRegistry, private readonly log: (m: string) => void = (m) => console.error(`lanternd: registry mirror: ${m}`)) {}

  /** Mirrors what the store holds now, then follows its changes. */
  start(): Promise<void> {
    this.unsubscribe = this.images.index.onChange(() => { void this.sync(); });
    return this.sync();
  }

  stop(): void { this.unsubscribe?.(); }

  /** One pass at a time; a change during a pass runs one more after it. Resolves when caught up. */
  sync(): Promise<void> {
    if (this.running) { this.again = true; return this.running; }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass().catch((e: unknown) => this.log(`failed: ${e instanceof Error ? e.message : String(e)}`));
      } while (this.again);
    })().finally(() => { this.running = undefined; });
    return this.running;
  }

  private async pass(): Promise<void> {
    const { content, index } = this.images;
    for (const image of await index.list()) {
      for (const name of image.names) {
        const { repository, reference: tag } = serverRegistryName(name);
        try {
          if ((await this.registry.tagDigest(repository, tag)) === image.digest) continue;
          const bytes = await content.read(image.digest);
          const doc = asObject(parseJson(bytes, `manifest of ${name}`), `manifest of ${name}`);
          const { config, layers } = imageManifest(doc, `manifest of ${name}`);
          for (const blob of [config, ...layers]) {
            content.pin(blob.digest);
            try { await this.registry.putBlob(repository, blob.digest, content.reader(blob.digest)); } finally { content.unpin(blob.digest); }
          }
          await this.registry.putManifest(repository, bytes, tag, typeof doc.mediaType === 'string' ? doc.mediaType : MediaType.ociManifest);
          this.log(`${name} is served as ${repository}:${tag} (${image.digest})`);
        } catch (e) {
          // An image removed meanwhile, or one whose blobs are gone: the next change retries.
          this.log(`cannot mirror ${name} as ${repository}:${tag}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }
  }
}
