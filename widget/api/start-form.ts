import type { AttemptStarted } from './api-client.ts';

/**
 * Sends the browser to the BFF's start URL the one way the BFF accepts: an HTML form POST of
 * the start answer's `fields` (the one-time secret travels in the body, never in a URL), from
 * this page, so the browser adds this page's `Origin` and the BFF can tell the start came from
 * the connections page and not from a link someone was sent.
 *
 * `target` is the pop-up opened in the click (an about:blank window of this page's origin, so
 * it can be named), or null for this window (the redirect flow).
 */
export function submitStartForm(started: Pick<AttemptStarted, 'authorizeUrl' | 'fields'>, target: Window | null): void {
  const form = document.createElement('form');
  form.method = 'post';
  form.action = started.authorizeUrl;
  form.enctype = 'application/x-www-form-urlencoded';
  form.acceptCharset = 'utf-8';
  form.hidden = true;
  if (target) {
    // A form reaches a window by its name: give the pop-up one if the opener did not.
    if (!target.name) target.name = `cp-oauth-${Math.random().toString(36).slice(2)}`;
    form.target = target.name;
  } else {
    form.target = '_self';
  }
  for (const [name, value] of Object.entries(started.fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  document.body.append(form);
  form.submit();
  // The navigation is already planned; the form leaves the page a moment later.
  setTimeout(() => form.remove(), 0);
}
