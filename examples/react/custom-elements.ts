/**
 * The two elements in React's JSX, typed. React 19 sets a prop as a property when the element
 * has one (`session`), as an attribute otherwise (`bff-url`), and turns `on<event-name>` into
 * addEventListener('<event-name>'), so `oncp-create-post` receives the widget's own
 * CpCreatePostEvent.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { ConnectionsPanel, ConnectionsSummary, CpAccountActionEvent, CpCreatePostEvent, SessionSource } from 'connections-panel';

type ElementProps<E extends HTMLElement> = Omit<DetailedHTMLProps<HTMLAttributes<E>, E>, 'children'>;

export interface ConnectionsPanelProps extends ElementProps<ConnectionsPanel> {
  'bff-url': string;
  'composer-url'?: string;
  'support-url'?: string;
  'upgrade-url'?: string;
  'oauth-mode'?: ConnectionsPanel['oauthMode'];
  session: SessionSource | null;
  'oncp-create-post'?: (event: CpCreatePostEvent) => void;
  'oncp-account-action'?: (event: CpAccountActionEvent) => void;
}

export interface ConnectionsSummaryProps extends ElementProps<ConnectionsSummary> {
  'bff-url': string;
  'panel-url'?: string;
  session: SessionSource | null;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'connections-panel': ConnectionsPanelProps;
      'connections-summary': ConnectionsSummaryProps;
    }
  }
}
