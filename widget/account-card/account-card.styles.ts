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
    grid-template-columns: auto minmax(0, 1fr);
    gap: 0.625rem 0.75rem;
    padding: 0.875rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    border-radius: var(--cp-radius, 0.75rem);
    background: var(--cp-card-background, #fff);
    color: var(--cp-text-color, #1f2328);
    cursor: pointer;
    transition: border-color 0.15s, box-shadow 0.15s;
  }
  .card:hover {
    border-color: var(--cp-accent-color, #0969da);
    box-shadow: 0 1px 4px rgb(0 0 0 / 0.08);
  }
  .card.amber {
    border-color: var(--cp-amber-border, #d4a72c);
  }
  .card.paused {
    border-style: dashed;
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
  .who {
    min-width: 0;
  }
  button.name {
    all: unset;
    display: block;
    font-weight: 600;
    overflow-wrap: anywhere;
    cursor: pointer;
    border-radius: 0.25rem;
  }
  button.name:hover {
    text-decoration: underline;
  }
  button.name:focus-visible {
    outline: 2px solid var(--cp-accent-color, #0969da);
    outline-offset: 2px;
  }
  .meta {
    display: flex;
    align-items: center;
    gap: 0.375rem;
    color: var(--cp-muted-color, #57606a);
    font-size: 0.875rem;
    min-width: 0;
    overflow-wrap: anywhere;
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
  .error-help {
    color: inherit;
    white-space: nowrap;
  }
  .reason,
  .soon {
    grid-column: 1 / -1;
    margin: 0;
    font-size: 0.875rem;
    color: var(--cp-amber-text, #7d4e00);
    overflow-wrap: anywhere;
  }
  .paused .reason {
    color: var(--cp-muted-color, #57606a);
  }
  .actions {
    grid-column: 1 / -1;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  button.more {
    margin-inline-start: auto;
    display: inline-grid;
    place-items: center;
    padding: 0.375rem 0.5rem;
  }
  a.support,
  a.button {
    font-size: 0.875rem;
    padding: 0.375rem 0.75rem;
    border-radius: 0.5rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    color: inherit;
    text-decoration: none;
  }
  .primary {
    background: var(--cp-accent-color, #0969da);
    border-color: transparent;
    color: #fff;
  }
  a.button.primary {
    color: #fff;
    border-color: transparent;
  }
  @media (prefers-reduced-motion: reduce) {
    .card {
      transition: none;
    }
  }
  @media (prefers-color-scheme: dark) {
    .card {
      background: var(--cp-card-background, #161b22);
      color: var(--cp-text-color, #e6edf3);
      border-color: var(--cp-border-color, #30363d);
    }
    .card.amber {
      border-color: var(--cp-amber-border, #9e6a03);
    }
    .reason,
    .soon {
      color: var(--cp-amber-text, #e3b341);
    }
    .meta,
    .paused .reason {
      color: var(--cp-muted-color, #8b949e);
    }
    .avatar {
      background: var(--cp-muted-background, #30363d);
      color: var(--cp-muted-color, #8b949e);
    }
    a.support {
      border-color: var(--cp-border-color, #30363d);
    }
    .primary {
      background: var(--cp-accent-color, #1f6feb);
    }
  }
`,
];
