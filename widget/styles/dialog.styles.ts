import { css } from 'lit';

/** The widget's modal dialogs (confirmation, choice, details, reconnect all): one look; a bottom sheet when narrow. */
export const dialogStyles = css`
  dialog {
    border: 1px solid var(--cp-border-color, #d0d7de);
    border-radius: var(--cp-radius, 0.75rem);
    padding: 1.25rem;
    color: var(--cp-text-color, #1f2328);
    background: var(--cp-card-background, #fff);
    box-shadow: 0 12px 32px rgb(0 0 0 / 0.2);
  }
  dialog::backdrop {
    background: var(--cp-backdrop, rgb(15 20 25 / 0.35));
  }
  dialog h2 {
    margin: 0 0 0.5rem;
    font-size: 1.125rem;
  }
  dialog h2:focus {
    outline: none;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-block-start: 1rem;
  }
  dialog a {
    color: var(--cp-link-color, #0969da);
  }
  button.primary {
    background: var(--cp-accent-color, #0969da);
    border-color: transparent;
    color: #fff;
  }
  button.danger {
    background: var(--cp-danger-color, #cf222e);
    border-color: transparent;
    color: #fff;
  }
  button.close {
    flex: none;
    margin-inline-start: auto;
    align-self: flex-start;
    display: inline-grid;
    place-items: center;
    width: 2rem;
    height: 2rem;
    padding: 0;
    font-size: 1.25rem;
    line-height: 1;
  }
  .handle {
    display: none;
  }
  @media (prefers-color-scheme: dark) {
    dialog {
      color: var(--cp-text-color, #e6edf3);
      background: var(--cp-card-background, #161b22);
      border-color: var(--cp-border-color, #30363d);
    }
    dialog::backdrop {
      background: var(--cp-backdrop, rgb(0 0 0 / 0.55));
    }
    dialog a {
      color: var(--cp-link-color, #4493f8);
    }
    button.primary {
      background: var(--cp-accent-color, #1f6feb);
    }
    button.danger {
      background: var(--cp-danger-color, #b62324);
    }
  }
`;

/** A dialog that becomes a bottom sheet in a narrow container (the panel's own width), with a handle to drag it down. */
export const sheetStyles = css`
  @container (max-width: 34rem) {
    dialog {
      margin: auto 0 0;
      box-sizing: border-box;
      width: 100%;
      max-width: 100%;
      max-height: 85vh;
      overflow: auto;
      padding-block-start: 0.5rem;
      border-radius: var(--cp-radius, 0.75rem) var(--cp-radius, 0.75rem) 0 0;
    }
    .handle {
      display: block;
      position: sticky;
      inset-block-start: 0;
      margin: 0 -1.25rem 0.5rem;
      padding-block: 0.5rem;
      background: inherit;
      touch-action: none;
      cursor: grab;
      z-index: 1;
    }
    .handle::before {
      content: '';
      display: block;
      width: 2.5rem;
      height: 0.3rem;
      margin: 0 auto;
      border-radius: 1rem;
      background: var(--cp-muted-color, #8c959f);
    }
  }
`;
