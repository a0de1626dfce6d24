import { css } from 'lit';

/** The widget's modal dialogs (confirmation, choice, details): one look; a bottom sheet when narrow. */
export const dialogStyles = css`
  dialog {
    border: 1px solid var(--cp-border-color, #d0d7de);
    border-radius: var(--cp-radius, 0.75rem);
    padding: 1.25rem;
    color: var(--cp-text-color, #1f2328);
    background: var(--cp-card-background, #fff);
  }
  dialog h2 {
    margin: 0 0 0.5rem;
    font-size: 1.125rem;
  }
  .buttons {
    display: flex;
    flex-wrap: wrap;
    justify-content: flex-end;
    gap: 0.5rem;
    margin-top: 1rem;
  }
  dialog a {
    color: var(--cp-link-color, #0969da);
  }
  button.primary {
    background: var(--cp-accent-color, #0969da);
    border-color: transparent;
    color: #fff;
  }
  @media (prefers-color-scheme: dark) {
    dialog {
      color: var(--cp-text-color, #e6edf3);
      background: var(--cp-card-background, #161b22);
    }
    dialog a {
      color: var(--cp-link-color, #4493f8);
    }
  }
`;

/** A dialog that becomes a bottom sheet in a narrow container (the panel's own width). */
export const sheetStyles = css`
  @container (max-width: 34rem) {
    dialog {
      margin: auto 0 0;
      box-sizing: border-box;
      width: 100%;
      max-width: 100%;
      max-height: 85vh;
      overflow: auto;
      border-radius: var(--cp-radius, 0.75rem) var(--cp-radius, 0.75rem) 0 0;
    }
  }
`;
