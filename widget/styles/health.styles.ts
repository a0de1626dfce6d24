import { css } from 'lit';

/** The health dot: green, amber or grey (paused), always beside the words (health is never colour alone). */
export const healthStyles = css`
  .dot {
    display: inline-block;
    flex: none;
    width: 0.625rem;
    height: 0.625rem;
    border-radius: 50%;
    background: var(--cp-healthy-color, #1a7f37);
  }
  .amber .dot,
  .dot.amber {
    background: var(--cp-amber-color, #bf8700);
  }
  .paused .dot,
  .dot.paused {
    background: var(--cp-paused-color, #6e7781);
  }
`;
