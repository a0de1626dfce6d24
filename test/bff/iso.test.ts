import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isoString } from '../../bff/iso.ts';

describe('isoString', () => {
  it('writes what toISOString writes, for any time from 271,821 BC to 275,760 AD', () => {
    const span = 8.64e15;
    for (let i = 0; i < 100_000; i++) {
      const date = new Date(Math.floor((Math.random() * 2 - 1) * (i % 2 === 0 ? span : 4e11)));
      assert.equal(isoString(date), date.toISOString());
    }
  });

  it('gets the edges right: leap days, century years, the ends of the four-digit years, the epoch', () => {
    for (const text of ['1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z', '2024-02-29T12:00:00.000Z', '2000-02-29T23:59:59.999Z', '1900-02-28T00:00:00.001Z', '1900-03-01T00:00:00.000Z', '2100-03-01T00:00:00.000Z', '1000-01-01T00:00:00.000Z', '0999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z', '-000001-01-01T00:00:00.000Z']) {
      assert.equal(isoString(new Date(text)), text);
    }
  });

  it('refuses an invalid date as toISOString does', () => {
    assert.throws(() => isoString(new Date(Number.NaN)), RangeError);
  });
});
