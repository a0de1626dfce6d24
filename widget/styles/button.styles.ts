import { css } from 'lit';

/** The widget's buttons, one look everywhere; themed by --cp-* properties. */
export const buttonStyles = css`
  button {
    font: inherit;
    font-size: 0.875rem;
    padding: 0.375rem 0.75rem;
    border-radius: 0.5rem;
    border: 1px solid var(--cp-border-color, #d0d7de);
    background: var(--cp-button-background, #f6f8fa);
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--cp-accent-color, #0969da);
    outline-offset: 2px;
  }
  @media (prefers-color-scheme: dark) {
    button {
      background: var(--cp-button-background, #21262d);
      border-color: var(--cp-border-color, #30363d);
    }
  }
`;
