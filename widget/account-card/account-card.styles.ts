import { css } from 'lit';
import { buttonStyles } from '../styles/button.styles.ts';
import { healthStyles } from '../styles/health.styles.ts';

export const accountCardStyles = [
  buttonStyles,
  healthStyles,
  css`
  :host {
    display: block;
  }
  .card {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.75rem;
    padding: 0.875rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    border-radius: var(--cp-radius, 0.75rem);
    background: var(--cp-card-background, #fff);
    color: var(--cp-text-color, #1f2328);
  }
  .card.amber {
    border-color: var(--cp-amber-border, #d4a72c);
  }
  .avatar {
    width: 48px;
    height: 48px;
    border-radius: 50%;
    object-fit: cover;
    background: var(--cp-muted-background, #eaeef2);
    display: grid;
    place-items: center;
    font-weight: 600;
    color: var(--cp-muted-color, #57606a);
  }
  .name {
    font-weight: 600;
    overflow-wrap: anywhere;
  }
  .meta {
    display: flex;
    align-items: center;
    gap: 0.375rem;
    color: var(--cp-muted-color, #57606a);
    font-size: 0.875rem;
  }
  .meta svg {
    flex: none;
  }
  .health {
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
    font-size: 0.875rem;
  }
  .reason {
    grid-column: 1 / -1;
    margin: 0;
    font-size: 0.875rem;
    color: var(--cp-amber-text, #7d4e00);
  }
  .actions {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  a.support {
    font-size: 0.875rem;
    padding: 0.375rem 0.75rem;
    border-radius: 0.5rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    color: inherit;
    text-decoration: none;
  }
  button.primary {
    background: var(--cp-accent-color, #0969da);
    border-color: transparent;
    color: #fff;
  }
  @media (prefers-color-scheme: dark) {
    .card {
      background: var(--cp-card-background, #161b22);
      color: var(--cp-text-color, #e6edf3);
      border-color: var(--cp-border-color, #30363d);
    }
    .reason {
      color: var(--cp-amber-text, #e3b341);
    }
    .meta {
      color: var(--cp-muted-color, #8b949e);
    }
    a.support {
      border-color: var(--cp-border-color, #30363d);
    }
  }
`,
];
