import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import { Failure } from '../errors.ts';
import { sandboxEndpoints } from '../sandbox/endpoints.ts';
import { SANDBOX_CLIENTS, SANDBOX_LINKEDIN_PAGES_CLIENT } from '../sandbox/seed.ts';
import type { AdapterOptions, PlatformAdapter } from './adapter.ts';
import { withSafeUrls } from './urls.ts';
import { withGraphVersion } from './versions.ts';
import { LIVE_PLATFORMS, PLATFORM_LABELS, type LivePlatform } from '../../contract/platforms.ts';
import { createFacebookAdapter, REAL_ENDPOINTS as FACEBOOK } from './facebook.ts';
import { createInstagramAdapter, REAL_ENDPOINTS as INSTAGRAM } from './instagram.ts';
import { createLinkedInAdapter, REAL_ENDPOINTS as LINKEDIN } from './linkedin.ts';
import { createTikTokAdapter, REAL_ENDPOINTS as TIKTOK } from './tiktok.ts';
import { createXAdapter, REAL_ENDPOINTS as X } from './x.ts';

const FACTORIES: Record<LivePlatform, { create: (options: AdapterOptions) => PlatformAdapter; real: Record<string, string> }> = {
  facebook: { create: createFacebookAdapter, real: FACEBOOK },
  instagram: { create: createInstagramAdapter, real: INSTAGRAM },
  tiktok: { create: createTikTokAdapter, real: TIKTOK },
  x: { create: createXAdapter, real: X },
  linkedin: { create: createLinkedInAdapter, real: LINKEDIN },
};

/** The adapter of each platform: on the real platform with credentials, else on the sandbox. */
export class PlatformRegistry {
  readonly #adapters = new Map<LivePlatform, PlatformAdapter>();
  readonly #sandboxed = new Set<LivePlatform>();
  readonly #secrets = new Map<string, string>();

  /**
   * Every adapter's URLs pass through platformUrl: https only, plus `trustedOrigins` (the
   * sandbox's own, which serves its pictures over plain http on loopback).
   */
  constructor(adapters: Partial<Record<LivePlatform, { adapter: PlatformAdapter; sandbox: boolean; clientSecret?: string }>>, trustedOrigins: readonly string[] = []) {
    for (const [platform, entry] of Object.entries(adapters) as [LivePlatform, { adapter: PlatformAdapter; sandbox: boolean; clientSecret?: string }][]) {
      this.#adapters.set(platform, withSafeUrls(entry.adapter, entry.sandbox ? trustedOrigins : []));
      if (entry.sandbox) this.#sandboxed.add(platform);
      if (entry.clientSecret) this.#secrets.set(platform, entry.clientSecret);
    }
  }

  /** The app secret a platform signs its push signals with; null when it is not set up. */
  appSecret(platform: string): string | null {
    return this.#secrets.get(platform) ?? null;
  }

  /** The adapter, or a 503 saying the platform is not set up on this BFF. */
  get(platform: LivePlatform): PlatformAdapter {
    const adapter = this.#adapters.get(platform);
    if (!adapter) {
      throw new Failure('platform_not_configured', `${PLATFORM_LABELS[platform]} is not set up on this server: it needs ${platform.toUpperCase()}_CLIENT_ID and ${platform.toUpperCase()}_CLIENT_SECRET, or the sandbox.`);
    }
    return adapter;
  }

  isSandbox(platform: LivePlatform): boolean {
    return this.#sandboxed.has(platform);
  }

  get usesSandbox(): boolean {
    return this.#sandboxed.size > 0;
  }
}

/**
 * Builds every adapter from the configuration. `sandboxBaseUrl` is where the sandbox
 * platforms answer (inside this BFF, or SANDBOX_URL).
 */
export function createPlatformRegistry(config: Config, clock: Clock, sandboxBaseUrl: string): PlatformRegistry {
  const sandbox = sandboxEndpoints(sandboxBaseUrl);
  const entries: Partial<Record<LivePlatform, { adapter: PlatformAdapter; sandbox: boolean; clientSecret?: string }>> = {};
  for (const platform of LIVE_PLATFORMS) {
    const onSandbox = config.sandboxPlatforms.includes(platform);
    const credentials = onSandbox ? SANDBOX_CLIENTS[platform] : config.platformCredentials[platform];
    if (!credentials) continue;
    const factory = FACTORIES[platform];
    entries[platform] = {
      sandbox: onSandbox,
      clientSecret: credentials.clientSecret,
      adapter: factory.create({
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        endpoints: onSandbox ? sandbox[platform] : realEndpoints(platform, factory.real, config),
        clock,
        allowInsecure: onSandbox && sandboxBaseUrl.startsWith('http:'),
        ...(platform === 'linkedin' ? linkedinOptions(config, onSandbox) : {}),
        ...(platform === 'facebook' || platform === 'instagram' ? versionOption(config.apiVersions?.metaGraph ?? null) : {}),
      }),
    };
  }
  return new PlatformRegistry(entries, [new URL(sandboxBaseUrl).origin]);
}

/** LinkedIn Pages go through a second app (Community Management), when there is one. */
function linkedinOptions(config: Config, onSandbox: boolean): Partial<AdapterOptions> {
  const secondApp = onSandbox ? SANDBOX_LINKEDIN_PAGES_CLIENT : (config.linkedinPagesApp ?? null);
  return { ...(secondApp ? { secondApp } : {}), ...versionOption(config.apiVersions?.linkedin ?? null) };
}

function versionOption(version: string | null): Partial<AdapterOptions> {
  return version ? { apiVersion: version } : {};
}

/** The real endpoints, Meta's on META_GRAPH_VERSION when it is set. */
function realEndpoints(platform: LivePlatform, real: Record<string, string>, config: Config): Record<string, string> {
  const graphVersion = config.apiVersions?.metaGraph ?? null;
  return graphVersion && (platform === 'facebook' || platform === 'instagram') ? withGraphVersion(real, graphVersion) : real;
}
