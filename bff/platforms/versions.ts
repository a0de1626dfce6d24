/**
 * The platform API versions the adapters call, with the dates their platforms stop serving
 * them. Operators pin them with LINKEDIN_API_VERSION and META_GRAPH_VERSION; the BFF warns at
 * start when the one in use ends within WARN_DAYS, and the doctor command shows both.
 *
 * Sources:
 * - LinkedIn: versions are `YYYYMM`, each supported for about a year, then answered with HTTP
 *   426: https://learn.microsoft.com/en-us/linkedin/marketing/versioning
 * - Meta Graph API: each version is available for at least two years after the next one is
 *   released: https://developers.facebook.com/docs/graph-api/changelog (version table) and
 *   https://developers.facebook.com/docs/graph-api/guides/versioning. Meta says calls to an
 *   expired version are defaulted to the oldest usable one, so a hard version error is rare:
 *   the real risk is silent behaviour changes, hence the warning ahead of the date.
 */

/** The LinkedIn-Version header the adapter sends unless LINKEDIN_API_VERSION says otherwise. */
export const LINKEDIN_API_VERSION = '202601';
/** The Graph API version the Meta adapters call unless META_GRAPH_VERSION says otherwise. */
export const META_GRAPH_VERSION = 'v23.0';

/** Published end-of-support dates (ISO dates, UTC). A version absent here is unknown to us. */
export const LINKEDIN_VERSION_SUNSETS: Readonly<Record<string, string>> = {
  // PLATFORMS.md and LinkedIn's versioning page; extend as LinkedIn publishes new versions.
  '202601': '2027-01-15',
};

export const META_GRAPH_SUNSETS: Readonly<Record<string, string>> = {
  // Meta's changelog, "Available Graph API versions" (v26.0, released 2026-07-29, has no date yet).
  'v22.0': '2027-05-20',
  'v23.0': '2027-10-08',
  'v24.0': '2028-02-18',
  'v25.0': '2028-07-29',
};

/** How many days ahead of an end-of-support date the BFF starts warning. */
export const WARN_DAYS = 60;

export interface VersionStatus {
  /** The variable that sets it. */
  variable: 'LINKEDIN_API_VERSION' | 'META_GRAPH_VERSION';
  version: string;
  /** When the platform stops serving it; null when the date is not known to this build. */
  endOfSupport: Date | null;
  /** `ok`, `ending` (within WARN_DAYS), `retired` (past its date) or `unknown` (no published date here). */
  state: 'ok' | 'ending' | 'retired' | 'unknown';
}

export function linkedinVersionStatus(version: string, now: Date): VersionStatus {
  return status('LINKEDIN_API_VERSION', version, LINKEDIN_VERSION_SUNSETS[version], now);
}

export function metaGraphVersionStatus(version: string, now: Date): VersionStatus {
  return status('META_GRAPH_VERSION', version, META_GRAPH_SUNSETS[version], now);
}

function status(variable: VersionStatus['variable'], version: string, date: string | undefined, now: Date): VersionStatus {
  if (!date) return { variable, version, endOfSupport: null, state: 'unknown' };
  const endOfSupport = new Date(`${date}T00:00:00Z`);
  const daysLeft = (endOfSupport.getTime() - now.getTime()) / 86_400_000;
  return { variable, version, endOfSupport, state: daysLeft <= 0 ? 'retired' : daysLeft <= WARN_DAYS ? 'ending' : 'ok' };
}

/** What to tell the operator about a version, or null when all is well. */
export function versionWarning(s: VersionStatus): string | null {
  const day = s.endOfSupport?.toISOString().slice(0, 10);
  if (s.state === 'retired') return `${s.variable}=${s.version} reached its end of support on ${day}: the platform refuses it. Set ${s.variable} to a current version.`;
  if (s.state === 'ending') return `${s.variable}=${s.version} reaches its end of support on ${day}: set ${s.variable} to a newer version before then.`;
  if (s.state === 'unknown') return `${s.variable}=${s.version} has no end-of-support date known to this build: check the platform's version list.`;
  return null;
}

/**
 * The warnings to log at start for the versions the real platforms will be called with
 * (sandbox platforms do not retire versions on their own).
 */
export function versionWarnings(
  config: { sandboxPlatforms: readonly string[]; platformCredentials: Partial<Record<string, unknown>>; apiVersions?: { linkedin: string | null; metaGraph: string | null } },
  now: Date,
): string[] {
  const real = (p: string) => !config.sandboxPlatforms.includes(p) && config.platformCredentials[p] !== undefined;
  const statuses: VersionStatus[] = [];
  if (real('linkedin')) statuses.push(linkedinVersionStatus(config.apiVersions?.linkedin ?? LINKEDIN_API_VERSION, now));
  if (real('facebook') || real('instagram')) statuses.push(metaGraphVersionStatus(config.apiVersions?.metaGraph ?? META_GRAPH_VERSION, now));
  return statuses.flatMap((s) => versionWarning(s) ?? []);
}

/** Real Graph endpoints on another version: `/v23.0/` becomes `/<version>/`. */
export function withGraphVersion(endpoints: Readonly<Record<string, string>>, version: string): Record<string, string> {
  return Object.fromEntries(Object.entries(endpoints).map(([key, url]) => [key, url.replace(/\/v\d+\.\d+(?=\/|$)/, `/${version}`)]));
}
