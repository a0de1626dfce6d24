import { css } from 'lit';

/** The health dot: green or amber, always beside the words (health is never colour alone). */
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
`;
