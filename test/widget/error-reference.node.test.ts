import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ERRORS, errorAnchor } from '../../contract/errors.ts';
import { REASONS } from '../../contract/health.ts';
import { REFERENCED_REASONS, problemCode } from '../../widget/i18n/messages.ts';

/** The widget links error codes to the BFF's error reference: only codes the catalog has an entry for. */
describe('the widget\'s links into the error reference', () => {
  it('links only health reasons that are catalog codes, and the rest through the account\'s last error', () => {
    for (const reason of REFERENCED_REASONS) assert.ok(reason in ERRORS, `${reason} has an entry in contract/errors.ts`);
    for (const reason of REASONS.filter((r) => !REFERENCED_REASONS.has(r))) {
      assert.equal(problemCode({ reason, lastError: null }), null, `${reason} is not linked by itself`);
      assert.equal(problemCode({ reason, lastError: { code: 'invalid_grant', message: 'x' } }), 'invalid_grant');
    }
    for (const reason of REFERENCED_REASONS) assert.equal(problemCode({ reason: reason as never, lastError: null }), reason);
  });

  it('finds each entry at #<code>, as widget/api/error-reference.ts links it (the contract stays out of the bundle)', () => {
    for (const code of Object.keys(ERRORS)) assert.equal(errorAnchor(code), code);
  });
});
