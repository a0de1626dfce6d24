import { ERRORS, errorEntry } from '../../contract/errors.ts';
import { PLATFORM_LABELS, type LivePlatform } from '../../contract/platforms.ts';
import type { Choice } from '../../contract/types.ts';
import { escapeHtml, renderPage } from '../http/page.ts';
import type { OpenLink } from './link.service.ts';

// The pages a person sees when they open a reconnect or connect link: no host login, no widget.

const workspaceName = (open: Pick<OpenLink, 'workspace'>) => open.workspace.name ?? open.workspace.id;

/** The link's page: whose workspace, which account, the advice, and Continue (a form POST to our own origin). */
export function renderLinkPage(open: OpenLink, signature: string): string {
  const ws = escapeHtml(workspaceName(open));
  const action = `/links/${open.link.id}/continue`;
  const hidden = `<input type="hidden" name="s" value="${escapeHtml(signature)}">`;
  const advice = (platform: string) =>
    `<p>${escapeHtml(platform)} will ask you to sign in and to approve what the app may do. <strong>Approve every permission it asks for</strong>: without all of them the account cannot publish, and you would have to do this again.</p>`;
  if (open.account) {
    const a = open.account;
    const label = PLATFORM_LABELS[a.platform as LivePlatform] ?? a.platform;
    const who = `${a.display_name}${a.username ? ` (@${a.username})` : ''}`;
    return renderPage({
      title: `Reconnect ${who} for ${workspaceName(open)}`,
      body: `<h1>Reconnect ${escapeHtml(label)}</h1>
<p><strong>${ws}</strong> asks you to reconnect <strong>${escapeHtml(who)}</strong> on ${escapeHtml(label)}, so it can keep publishing for you.</p>
${advice(label)}
<p class="muted">Sign in as ${escapeHtml(who)}: another account is refused and nothing changes.</p>
<form method="post" action="${escapeHtml(action)}">${hidden}<button type="submit">Continue to ${escapeHtml(label)}</button></form>`,
    });
  }
  const choices =
    open.platforms.length === 1
      ? `<input type="hidden" name="platform" value="${escapeHtml(open.platforms[0]!)}">`
      : `<fieldset><legend>Which platform?</legend>${open.platforms
          .map((p, i) => `<label><input type="radio" name="platform" value="${p}"${i === 0 ? ' checked' : ''}> ${escapeHtml(PLATFORM_LABELS[p])}</label><br>`)
          .join('')}</fieldset>`;
  const label = open.platforms.length === 1 ? PLATFORM_LABELS[open.platforms[0]!] : 'the platform';
  return renderPage({
    title: `Connect an account to ${workspaceName(open)}`,
    body: `<h1>Connect an account</h1>
<p><strong>${ws}</strong> asks you to connect your account, so it can publish for you.</p>
${advice(label)}
<form method="post" action="${escapeHtml(action)}">${hidden}${choices}<p><button type="submit">Continue</button></p></form>`,
  });
}

/** Why a link does nothing: used, expired, forged, its account gone. */
export function renderLinkRefused(code: string, message?: string): string {
  const entry = errorEntry(code);
  return renderPage({
    title: 'This link cannot be used',
    body: `<h1>This link cannot be used</h1>
<p>${escapeHtml(message ?? entry.message)}</p>
<p>${escapeHtml(entry.action)}</p>
<p class="muted">Nothing was changed.</p>`,
  });
}

/** After the platform: what happened, in words, and where to go back to. */
export function renderLinkResult(input: {
  status: 'connected' | 'failed' | 'choose' | 'pending';
  workspace: string;
  names: string[];
  error?: { code: string; message: string };
  returnTo: string | null;
  choose?: { linkId: string; signature: string; attemptId: string; choices: Choice[] };
}): string {
  const back = input.returnTo ? `<p><a href="${escapeHtml(input.returnTo)}">Back</a></p>` : '<p class="muted">You can close this window.</p>';
  if (input.status === 'connected') {
    return renderPage({
      title: 'Done',
      body: `<h1>Done</h1>
<p>${escapeHtml(input.names.join(', ') || 'The account')} ${input.names.length > 1 ? 'are' : 'is'} connected to <strong>${escapeHtml(input.workspace)}</strong>. Thank you.</p>
${back}`,
    });
  }
  if (input.status === 'choose' && input.choose) {
    const c = input.choose;
    return renderPage({
      title: 'Choose the accounts',
      body: `<h1>Choose the accounts to connect</h1>
<form method="post" action="/links/${escapeHtml(c.linkId)}/select">
<input type="hidden" name="s" value="${escapeHtml(c.signature)}"><input type="hidden" name="attempt" value="${escapeHtml(c.attemptId)}">
${c.choices.map((ch) => `<label><input type="checkbox" name="ids" value="${escapeHtml(ch.id)}"${ch.alreadyConnected ? ' checked' : ''}> ${escapeHtml(ch.name)}</label><br>`).join('')}
<p><button type="submit">Connect</button></p></form>`,
    });
  }
  const code = input.error?.code ?? 'internal_error';
  return renderPage({
    title: 'Not connected',
    body: `<h1>Not connected</h1>
<p>${escapeHtml(input.error?.message ?? ERRORS.internal_error.message)}</p>
<p>${escapeHtml(errorEntry(code).action)}</p>
<p class="muted">Nothing was changed. You can open the link again to try once more${code === 'link_used' ? '' : ' while it is valid'}.</p>
${back}`,
  });
}
