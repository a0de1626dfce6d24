/**
 * The two elements as Vue render functions, typed. Vue sets a prop as a property when it is
 * not a string or the element has it (`session`), as an attribute otherwise (`bff-url`), and
 * turns `onCpCreatePost` into addEventListener('cp-create-post'), so the listener receives the
 * widget's own CpCreatePostEvent.
 */
import { h, type VNode } from 'vue';
import type { ConnectionsPanel, CpAccountActionEvent, CpCreatePostEvent, SessionSource } from 'connections-panel';

export type ConnectionsPanelProps = {
  'bff-url': string;
  'composer-url'?: string;
  'support-url'?: string;
  'upgrade-url'?: string;
  'oauth-mode'?: ConnectionsPanel['oauthMode'];
  session: SessionSource | null;
  onCpCreatePost?: (event: CpCreatePostEvent) => void;
  onCpAccountAction?: (event: CpAccountActionEvent) => void;
};

export type ConnectionsSummaryProps = {
  'bff-url': string;
  'panel-url'?: string;
  session: SessionSource | null;
};

export const connectionsPanel = (props: ConnectionsPanelProps): VNode => h('connections-panel', props);
export const connectionsSummary = (props: ConnectionsSummaryProps): VNode => h('connections-summary', props);
