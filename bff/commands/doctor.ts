/**
 * `connections-panel-bff doctor`: what each platform will run on and what its app needs, read
 * from the same configuration the BFF starts with. Exits non-zero when something is
 * misconfigured (an invalid environment, a retired API version, real credentials on a
 * non-https PUBLIC_URL). Documented in docs/going-live.md.
 */
import { LIVE_PLATFORMS, PLATFORM_LABELS, type LivePlatform } from '../../contract/platforms.ts';
import type { Config } from '../config.ts';
import { LINKEDIN_PAGE_SCOPES, REQUIRED_SCOPES } from '../platforms/catalog.ts';
import { BUSINESS_SCOPE } from '../platforms/meta-graph.ts';
import {
  LINKEDIN_API_VERSION,
  META_GRAPH_VERSION,
  linkedinVersionStatus,
  metaGraphVersionStatus,
  versionWarning,
  type VersionStatus,
} from '../platforms/versions.ts';

export interface PlatformCheck {
  platform: LivePlatform;
  mode: 'sandbox' | 'real' | 'off';
  redirectUri: string;
  /** Each connect flow's scopes (LinkedIn: profile and Page). */
  scopes: Record<string, readonly string[]>;
  version: VersionStatus | null;
  /** What the platform's developer console must hold. */
  setup: string[];
  warnings: string[];
  errors: string[];
}

export interface DoctorReport {
  ok: boolean;
  platforms: PlatformCheck[];
}

export function doctorReport(config: Config, now: Date): DoctorReport {
  const platforms = LIVE_PLATFORMS.map((platform) => checkPlatform(config, platform, now));
  return { ok: platforms.every((p) => p.errors.length === 0), platforms };
}

function checkPlatform(config: Config, platform: LivePlatform, now: Date): PlatformCheck {
  const onSandbox = config.sandboxPlatforms.includes(platform);
  const real = !onSandbox && config.platformCredentials[platform] !== undefined;
  const mode = onSandbox ? 'sandbox' : real ? 'real' : 'off';
  const redirectUri = `${config.publicUrl}/oauth/callback/${platform}`;
  const check: PlatformCheck = { platform, mode, redirectUri, scopes: {}, version: null, setup: [], warnings: [], errors: [] };
  const prefix = platform.toUpperCase();
  if (mode === 'off') check.warnings.push(`Not set up: set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET, or SANDBOX=1.`);
  if (real && !config.publicUrl.startsWith('https://')) {
    check.errors.push(`PUBLIC_URL is ${config.publicUrl}: ${PLATFORM_LABELS[platform]} only redirects to https URLs registered in its app.`);
  }
  switch (platform) {
    case 'facebook':
      check.scopes['page'] = [...REQUIRED_SCOPES.facebook, BUSINESS_SCOPE];
      check.version = metaGraphVersionStatus(config.apiVersions?.metaGraph ?? META_GRAPH_VERSION, now);
      check.setup.push(
        `Facebook Login > Settings > Valid OAuth Redirect URIs: ${redirectUri}`,
        'App settings: a Deauthorize callback URL and a Data Deletion Request URL (signed_request, keyed by the app secret).',
        'App Review: every scope above, and business_management for business-owned Pages.',
      );
      break;
    case 'instagram':
      check.scopes['professional'] = REQUIRED_SCOPES.instagram;
      check.version = metaGraphVersionStatus(config.apiVersions?.metaGraph ?? META_GRAPH_VERSION, now);
      check.setup.push(
        `Instagram > API setup with Instagram Login > Business login settings > OAuth redirect URIs: ${redirectUri}`,
        'The same Deauthorize and Data Deletion callback URLs as Facebook.',
      );
      break;
    case 'tiktok':
      check.scopes['profile'] = REQUIRED_SCOPES.tiktok;
      check.setup.push(
        `Login Kit > Redirect URI: ${redirectUri}`,
        'Webhooks > Callback URL for authorization.removed (signed with TikTok-Signature, keyed by the client secret).',
        'Products: Login Kit, Content Posting API (video.publish) and the scopes above approved.',
      );
      break;
    case 'x':
      check.scopes['profile'] = REQUIRED_SCOPES.x;
      check.setup.push(
        `User authentication settings > Type of App: Web App (confidential client); Callback URI: ${redirectUri}`,
        'Billing: X bills API use per call; with no credits X answers HTTP 402 credits-depleted (shown on /readyz).',
      );
      break;
    case 'linkedin': {
      check.scopes['member'] = REQUIRED_SCOPES.linkedin;
      check.scopes['organization'] = LINKEDIN_PAGE_SCOPES;
      check.version = linkedinVersionStatus(config.apiVersions?.linkedin ?? LINKEDIN_API_VERSION, now);
      check.setup.push(
        `Auth > Authorized redirect URLs (on both apps): ${redirectUri}`,
        'App 1 (LINKEDIN_CLIENT_ID): products Sign In with LinkedIn using OpenID Connect and Share on LinkedIn.',
        'App 2 (LINKEDIN_PAGES_CLIENT_ID): Community Management API alone (it must be the only product on its app).',
      );
      if (real && !config.linkedinPagesApp) {
        check.warnings.push('LINKEDIN_PAGES_CLIENT_ID is not set: "LinkedIn Page" uses the first app, which fails unless that app has Community Management (and then no member products).');
      }
      break;
    }
  }
  if (check.version && mode !== 'off') {
    const warning = versionWarning(check.version);
    if (check.version.state === 'retired') check.errors.push(warning!);
    else if (warning) check.warnings.push(warning);
  }
  return check;
}

/** The report as text for a terminal. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines: string[] = [];
  for (const p of report.platforms) {
    lines.push(`${PLATFORM_LABELS[p.platform]}: ${p.mode === 'sandbox' ? 'sandbox' : p.mode === 'real' ? 'real credentials' : 'not set up'}`);
    lines.push(`  redirect URI: ${p.redirectUri}`);
    for (const [flow, scopes] of Object.entries(p.scopes)) lines.push(`  scopes (${flow}): ${scopes.join(' ')}`);
    if (p.version) {
      lines.push(`  API version: ${p.version.version} (${p.version.variable}), end of support ${p.version.endOfSupport?.toISOString().slice(0, 10) ?? 'unknown'}`);
    }
    for (const s of p.setup) lines.push(`  setup: ${s}`);
    for (const w of p.warnings) lines.push(`  warning: ${w}`);
    for (const e of p.errors) lines.push(`  ERROR: ${e}`);
  }
  lines.push(report.ok ? 'OK: nothing misconfigured.' : 'Misconfigured: fix the ERROR lines above.');
  return lines.join('\n');
}
