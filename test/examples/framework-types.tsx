/**
 * Compile-time checks for the React and Vue examples' element typings (`npm run typecheck`
 * covers this file; nothing runs it): the events arrive as the widget's own classes, and a
 * listener for the wrong event, an unknown property, a wrong oauth-mode or a missing bff-url does
 * not compile.
 */
import type { CpAccountActionEvent, CpCreatePostEvent } from 'connections-panel';
import type {} from '../../examples/react/custom-elements.ts';
import { connectionsPanel } from '../../examples/vue/custom-elements.ts';

const session = async () => 'token';
const onCreatePost = (event: CpCreatePostEvent) => event.preventDefault();
const onAccountAction = (event: CpAccountActionEvent) => void event.action;

export const react = [
  <connections-panel bff-url="/connections" session={session} oncp-create-post={onCreatePost} oncp-account-action={onAccountAction} />,
  <connections-panel bff-url="/connections" session="token" oauth-mode="popup" />,
  <connections-summary bff-url="/connections" panel-url="/" session={session} />,
  // @ts-expect-error: cp-create-post carries a CpCreatePostEvent, not a CpAccountActionEvent
  <connections-panel bff-url="/connections" session={session} oncp-create-post={onAccountAction} />,
  // @ts-expect-error: bff-url is required
  <connections-panel session={session} />,
  // @ts-expect-error: oauth-mode is auto, popup or redirect
  <connections-panel bff-url="/connections" session={session} oauth-mode="tab" />,
  // @ts-expect-error: the listener's event is inferred as CpCreatePostEvent, which has no action
  <connections-panel bff-url="/connections" session={session} oncp-create-post={(event) => event.action} />,
  <connections-panel bff-url="/connections" session={session} oncp-account-action={(event) => event.action satisfies 'details' | 'reconnect' | 'disconnect'} />,
  // @ts-expect-error: no such property
  <connections-summary bff-url="/connections" session={session} composerUrl="/compose" />,
];

export const vue = [
  connectionsPanel({ 'bff-url': '/connections', session, onCpCreatePost: onCreatePost, onCpAccountAction: onAccountAction }),
  // @ts-expect-error: the listener's event is inferred as CpCreatePostEvent, which has no action
  connectionsPanel({ 'bff-url': '/connections', session, onCpCreatePost: (event) => event.action }),
  connectionsPanel({ 'bff-url': '/connections', session, onCpAccountAction: (event) => event.action satisfies 'details' | 'reconnect' | 'disconnect' }),
  // @ts-expect-error: oauth-mode is auto, popup or redirect
  connectionsPanel({ 'bff-url': '/connections', session, 'oauth-mode': 'tab' }),
  // @ts-expect-error: bff-url is required
  connectionsPanel({ session }),
];
