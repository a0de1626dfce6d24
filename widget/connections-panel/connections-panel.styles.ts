import { css } from 'lit';
import { buttonStyles } from '../styles/button.styles.ts';

export const connectionsPanelStyles = [
  buttonStyles,
  css`
  :host {
    display: block;
    container-type: inline-size;
    font-family: var(--cp-font-family, system-ui, -apple-system, 'Segoe UI', sans-serif);
    color: var(--cp-text-color, #1f2328);
    background: var(--cp-background, #fff);
  }
  header {
    display: flex;
    align-items: baseline;
    justify-content: space-between;
    gap: 1rem;
    margin-bottom: 0.75rem;
  }
  h2 {
    margin: 0;
    font-size: 1.25rem;
  }
  .count {
    color: var(--cp-muted-color, #57606a);
    font-size: 0.875rem;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
    gap: 0.75rem;
    list-style: none;
    margin: 0;
    padding: 0;
  }
  @container (max-width: 34rem) {
    .grid {
      grid-template-columns: 1fr;
    }
  }
  .filter {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin-bottom: 0.75rem;
    font-size: 0.875rem;
  }
  .filter input {
    font: inherit;
    flex: 1;
    min-width: 12rem;
    padding: 0.375rem 0.5rem;
    border-radius: 0.5rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    background: var(--cp-card-background, #fff);
    color: inherit;
  }
  .filter input:focus-visible {
    outline: 2px solid var(--cp-accent-color, #0969da);
    outline-offset: 2px;
  }
  button.more {
    display: block;
    margin: 0.75rem auto 0;
  }
  .state {
    padding: 1.5rem;
    border: 1px dashed var(--cp-border-color, #d0d7de);
    border-radius: var(--cp-radius, 0.75rem);
    text-align: center;
    color: var(--cp-muted-color, #57606a);
  }
  .state button {
    margin-top: 0.5rem;
  }
  .add {
    margin-top: 1.25rem;
  }
  h3 {
    margin: 0 0 0.25rem;
    font-size: 1rem;
  }
  .platforms {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    list-style: none;
    padding: 0;
  }
  .platforms a,
  .platforms span {
    font: inherit;
    font-size: 0.875rem;
    display: inline-block;
    padding: 0.375rem 0.75rem;
    border-radius: 0.5rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    background: var(--cp-button-background, #f6f8fa);
    color: inherit;
    text-decoration: none;
  }
  .platforms .soon {
    color: var(--cp-muted-color, #57606a);
  }
  .toasts {
    list-style: none;
    padding: 0;
    display: grid;
    gap: 0.5rem;
  }
  .toast {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.5rem 0.75rem;
    border-radius: 0.5rem;
    background: var(--cp-toast-background, #1f2328);
    color: var(--cp-toast-color, #fff);
  }
  .toast span {
    flex: 1;
  }
  .toast a {
    color: inherit;
  }
  .toast button {
    font: inherit;
    background: transparent;
    color: inherit;
    border: 1px solid currentColor;
    border-radius: 0.375rem;
    cursor: pointer;
  }
  .platforms button,
  .platforms a {
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
  }
  .pull {
    height: var(--cp-pull, 0px);
    overflow: hidden;
    display: grid;
    place-items: end center;
    font-size: 0.875rem;
    color: var(--cp-muted-color, #57606a);
    transition: height 0.15s ease-out;
  }
  .pull[data-state='idle'] {
    visibility: hidden;
  }
  .pull[data-state='pulling'],
  .pull[data-state='armed'] {
    transition: none;
  }
  @media (prefers-reduced-motion: reduce) {
    .pull {
      transition: none;
    }
  }
  .notice:empty {
    display: none;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--cp-text-color, #e6edf3);
      background: var(--cp-background, #0d1117);
    }
    .count,
    .state,
    .pull,
    .platforms .soon {
      color: var(--cp-muted-color, #8b949e);
    }
    .filter input {
      background: var(--cp-card-background, #161b22);
      border-color: var(--cp-border-color, #30363d);
    }
    .platforms a,
    .platforms span {
      background: var(--cp-button-background, #21262d);
      border-color: var(--cp-border-color, #30363d);
    }
  }
`,
];
