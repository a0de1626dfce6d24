import type { Account, MessageParams, PausedReason, PublicEvent } from '../api/api-client.ts';
import { PLATFORM_LABELS } from '../../contract/platforms.ts';
import { ApiError } from '../api/api-client.ts';
import { formatList, formatNumber, msg, pluralCategory, str } from './i18n.ts';

/**
 * The product's words from the BFF's codes: reasons, events, errors, history entries, kinds
 * and plans, in the language shown. Each has the BFF's English `message` as its fallback for a
 * code this widget does not know yet.
 */

/**
 * Says a BFF code's message in the language shown: the language's text for `code.<what>`
 * (its `{name}`, `{platform}`... filled in from `params`) where it has one, else the BFF's own
 * English message. So English is always the BFF's words (the seed's exact toast texts), the
 * bundle carries no second copy of them, and a code this widget has never heard of is still
 * said (in English). Their English reference for translators: `locales/codes.en.ts`.
 */
export function say(id: string, fallback: string, params: MessageParams = {}): string {
  return msg(fallback, { id }).replace(/\{(\w+)\}/g, (_, k: string) => text(params[k]));
}

export const text = (v: unknown): string => (v === null || v === undefined ? '' : Array.isArray(v) ? v.join(', ') : String(v));

/** A platform's name as people read it (brand names are the same in every language). */
export const platformLabel = (platform: string): string => (PLATFORM_LABELS as Record<string, string>)[platform] ?? platform;

/** The plans by their label (product names: the same in every language). */
export const PLANS = ['free', 'starter', 'professional', 'enterprise'] as const;
const PLAN_LABELS: Record<string, string> = { free: 'Free', starter: 'Starter', professional: 'Professional', enterprise: 'Enterprise' };
export const planLabel = (plan: string): string => PLAN_LABELS[plan] ?? plan;

/** What an account is on its platform (a Page, a profile...), and a platform's connect flows. */
export function kindLabel(kind: string, fallback?: string): string {
  switch (kind) {
    case 'page':
      return msg('Facebook Page');
    case 'professional':
      return msg('Professional account');
    case 'organization':
      return msg('LinkedIn Page');
    case 'member':
      return msg('LinkedIn profile');
    case 'profile':
      return msg('Profile');
    default:
      return fallback ?? kind;
  }
}

/** Health in words (never colour alone). */
export function healthWords(a: Pick<Account, 'health' | 'status'>): string {
  if (a.status === 'paused') return msg('Paused');
  return a.health === 'needs_reconnect' ? msg('Needs reconnect') : msg('Healthy');
}

/** Why an amber account needs reconnecting (the missing permissions named, where the BFF lists them). */
export function reasonText(a: Pick<Account, 'reason' | 'reasonMessage' | 'reasonParams'>): string | null {
  if (!a.reason) return null;
  const scopes = a.reasonParams?.scopes?.join(', ');
  const id = a.reason === 'missing_permissions' && !scopes ? 'reason.missing_permissions.unnamed' : `reason.${a.reason}`;
  return say(id, a.reasonMessage ?? '', { scopes });
}

/** The health reasons that are codes of the error reference (the others are explained by the account's last error). */
export const REFERENCED_REASONS: ReadonlySet<string> = new Set(['token_expired', 'token_revoked', 'missing_permissions']);

/** The code whose entry in the error reference explains why an account is amber. */
export function problemCode(a: Pick<Account, 'reason' | 'lastError'>): string | null {
  return a.lastError?.code ?? (a.reason && REFERENCED_REASONS.has(a.reason) ? a.reason : null);
}

/** Why a paused account is paused. */
export function pausedText(reason: PausedReason | null | undefined, platform: string): string {
  return reason === 'plan_platform'
    ? msg(str`Paused: ${platformLabel(platform)} is not included in your plan.`)
    : msg('Paused: your plan has fewer accounts than are connected.');
}

/** An event as a toast, from its type and parameters (`{ name, days }`). */
export function eventText(e: PublicEvent, nameOf: (accountId: string | null) => string | undefined): string {
  const name = text(e.params?.name) || nameOf(e.accountId);
  if (!name) return e.message;
  const days = Number(e.params?.days);
  if (e.type === 'token_expiring') {
    if (!Number.isFinite(days)) return e.message;
    return say(`event.token_expiring.${pluralCategory(days)}`, e.message, { name, days: formatNumber(days) });
  }
  return say(`event.${e.type}`, e.message, { name });
}

/** Events that ask a person to act: their toasts stay until acted on or dismissed. */
export const WARNING_EVENTS: ReadonlySet<string> = new Set(['reconnect_required', 'token_expired', 'token_expiring', 'account_paused']);

/** Codes that say the same to a person. */
const SAME_AS: Record<string, string> = {
  missing_verifier: 'invalid_callback',
  platform_error: 'platform_rejected',
  attempt_not_choosing: 'attempt_not_found',
  attempt_already_started: 'attempt_not_found',
  invalid_choice: 'attempt_not_found',
  invalid_session: 'session_expired',
  missing_session: 'session_expired',
  database_unavailable: 'internal_error',
  forbidden: 'admin_only',
};

/** A failed call or attempt, said from its code (`{platform}`, `{status}` filled in); the BFF's message otherwise. */
export function errorText(code: string, message: string, params: MessageParams = {}, context: { platform?: string } = {}): string {
  const platform = text(params.platform) ? platformLabel(text(params.platform)) : (context.platform ?? '');
  // A text that names the platform is only used when the platform is known.
  const said = !platform && /^(access_denied|no_accounts|platform_rejected|platform_error)$/.test(code) ? message : say(`error.${SAME_AS[code] ?? code}`, message, { ...params, platform });
  if (code !== 'http_error') {
    SAID.delete(said);
    SAID.set(said, code);
    if (SAID.size > 50) SAID.delete(SAID.keys().next().value!);
  }
  return said;
}

/**
 * The codes of the error texts said lately, by their words: a message that reaches a toast or a
 * dialog as words only (the connect flow's outcomes) still links its code's entry in the error
 * reference. Words come from one code and its values, so a text names one code.
 */
const SAID = new Map<string, string>();
export const codeOfText = (words: string): string | null => SAID.get(words) ?? null;

/**
 * What to tell a person about a failed call: the BFF's code said in their language, and
 * otherwise whether they are offline or the service could not be reached.
 */
export function describeError(err: unknown, context: { platform?: string } = {}): string {
  if (err instanceof ApiError) return errorText(err.code, err.message, err.params, context);
  if (typeof navigator !== 'undefined' && navigator.onLine === false) return msg('You are offline. The accounts will load again when you are back online.');
  if (err instanceof TypeError) return msg('The connections service could not be reached. Check your connection and try again.');
  return (err as Error)?.message || msg('Something went wrong. Please try again.');
}

/** "a, b and c" for scope names and the like. */
export const list = formatList;
