import { ApiError } from '../api/errors.js';
import { parseConfig, parseJson, type ParsedConfig } from './formats.js';
import type { ContentStore, PulledImage } from './types.js';

/** The config of a pulled image, read from the content store; its diff IDs must pair up with the manifest's layers. */
export async function pulledConfig(content: ContentStore, image: PulledImage): Promise<ParsedConfig> {
  const label = image.names[0] ?? image.manifestDigest;
  const config = parseConfig(parseJson(await content.read(image.configDigest), `config of ${label}`), `config ${image.configDigest} of ${label}`);
  if (config.diffIds.length !== image.layers.length) {
    throw new ApiError('BadRequest', `image ${label}: the manifest lists ${image.layers.length} layers but the config lists ${config.diffIds.length} diff IDs`);
  }
  return config;
}
