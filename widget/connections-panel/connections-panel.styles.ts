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
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.5rem 1rem;
    margin-block-end: 0.75rem;
  }
  h2:focus,
  h3:focus {
    outline: none;
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
    margin-block-start: 0.5rem;
  }
  .add {
    margin-block-start: 1.25rem;
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
  /* Notifications: fixed to the viewport, so they are seen wherever the page is scrolled; on a
     narrow screen at the top, clear of the bottom sheet. */
  .toasts {
    position: fixed;
    z-index: var(--cp-toast-z-index, 1000);
    inset-block-end: var(--cp-toast-offset, 1rem);
    inset-inline-end: var(--cp-toast-offset, 1rem);
    width: min(24rem, calc(100vw - 2rem));
    margin: 0;
    padding: 0;
    list-style: none;
    display: grid;
    gap: 0.5rem;
    pointer-events: none;
  }
  @media (max-width: 40rem) {
    .toasts {
      inset-block: var(--cp-toast-offset, 0.75rem) auto;
      inset-inline: 0;
      margin-inline: auto;
    }
  }
  .toast {
    pointer-events: auto;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    padding: 0.625rem 0.75rem;
    border-radius: 0.5rem;
    border-inline-start: 4px solid var(--cp-healthy-color, #1a7f37);
    background: var(--cp-toast-background, #1f2328);
    color: var(--cp-toast-color, #fff);
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.25);
  }
  .toast.info {
    border-inline-start-color: var(--cp-accent-color, #0969da);
  }
  .toast.warning {
    border-inline-start-color: var(--cp-amber-color, #bf8700);
  }
  .toast.error {
    border-inline-start-color: var(--cp-danger-color, #cf222e);
  }
  .toast .text {
    flex: 1 1 12rem;
  }
  .toast a,
  .error-help {
    color: inherit;
  }
  .toast button {
    font: inherit;
    font-size: 0.875rem;
    background: transparent;
    color: inherit;
    border: 1px solid currentColor;
    border-radius: 0.375rem;
    padding: 0.25rem 0.5rem;
    cursor: pointer;
  }
  .toast .dismiss {
    border: 0;
    font-size: 1.125rem;
    line-height: 1;
  }
  header .check {
    margin-inline-start: auto;
    display: inline-flex;
    align-items: center;
    gap: 0.5rem;
    font-size: 0.875rem;
    color: var(--cp-muted-color, #57606a);
  }
  .attention,
  .offline {
    display: grid;
    gap: 0.25rem;
    margin-block-end: 0.75rem;
    padding: 0.5rem 0.75rem;
    border-radius: var(--cp-radius, 0.75rem);
    border: 1px solid var(--cp-amber-border, #d4a72c);
    background: var(--cp-attention-background, #fff8c5);
  }
  .attention p,
  .offline {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin: 0;
  }
  .attention strong,
  .offline span {
    flex: 1 1 auto;
  }
  .add .tip {
    font-size: 0.875rem;
    color: var(--cp-muted-color, #57606a);
    margin: 0;
  }
  .connect button[aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  button.primary {
    background: var(--cp-accent-color, #0969da);
    border-color: transparent;
    color: #fff;
  }
  .platforms button,
  .platforms a,
  .platforms span {
    display: inline-flex;
    align-items: center;
    gap: 0.375rem;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      color: var(--cp-text-color, #e6edf3);
      background: var(--cp-background, #0d1117);
    }
    .count,
    .state,
    header .check,
    .add .tip,
    .platforms .soon {
      color: var(--cp-muted-color, #8b949e);
    }
    .platforms a,
    .platforms span {
      background: var(--cp-button-background, #21262d);
      border-color: var(--cp-border-color, #30363d);
    }
    .attention,
    .offline {
      background: var(--cp-attention-background, #2d2106);
      border-color: var(--cp-amber-border, #9e6a03);
    }
    button.primary {
      background: var(--cp-accent-color, #1f6feb);
    }
  }
`,
];
