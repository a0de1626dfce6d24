/**
 * Issue 12 item 7: the documented webhook verify() accepted a non-numeric timestamp
 * (`Number("abc")` is NaN, and `NaN > tolerance` is false, so the freshness check passed).
 * The function hosts copy (docs/webhooks-verify.md, read from the page itself) must require
 * an integer timestamp within the tolerance, and refuse every malformed header without throwing.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { signWebhook, verifyWebhook } from '../../../bff/webhooks/signature.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const SECRET = 'whsec_test_0123456789';
const BODY = JSON.stringify({ id: 'e1', type: 'account_connected', message: 'Hart & Crumb connected' });

type Verify = (secret: string, rawBody: string, header: string | undefined, toleranceSeconds?: number, nowSeconds?: number) => boolean;

/** The first js block of a page, as a module exporting its verify(). */
async function verifyFrom(page: string): Promise<Verify> {
  const text = await readFile(path.join(root, page), 'utf8');
  const code = /```js\n([\s\S]*?)```/.exec(text)?.[1];
  assert.ok(code && code.includes('function verify('), `${page} has a verify() example`);
  const module = `${code.replace('function verify(', 'export function verify(')}`;
  return ((await import(`data:text/javascript,${encodeURIComponent(module)}`)) as { verify: Verify }).verify;
}

const mac = (t: string, body = BODY) => createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex');

describe('the documented webhook verify()', () => {
  let verify: Verify;
  const now = Math.floor(Date.now() / 1000);
  before(async () => {
    verify = await verifyFrom('docs/webhooks-verify.md');
  });

  it('accepts a delivery the BFF signed, within the tolerance', () => {
    assert.equal(verify(SECRET, BODY, signWebhook(SECRET, BODY, now), 300, now), true);
    assert.equal(verify(SECRET, BODY, signWebhook(SECRET, BODY, now - 299), 300, now), true);
    assert.equal(verify(SECRET, BODY, signWebhook(SECRET, BODY, now)), true, 'with the default clock and tolerance');
  });

  it('refuses a timestamp that is not an integer, even with a matching signature over it (the attack)', () => {
    for (const t of ['abc', 'NaN', '', ' ', '1e9', `${now}.0`, `${now}.5`, '0x6a', `+${now}`, `-${now}`, ` ${now}`, 'Infinity', `${now}abc`]) {
      const header = `t=${t},v1=${mac(t)}`;
      assert.equal(verify(SECRET, BODY, header, 300, now), false, `t=${JSON.stringify(t)} is refused`);
      assert.equal(verifyWebhook(SECRET, BODY, header, now), false, `the BFF's own check refuses t=${JSON.stringify(t)} too`);
    }
  });

  it('refuses a replayed (old or future) delivery, a forged body, a wrong secret and malformed headers, without throwing', () => {
    assert.equal(verify(SECRET, BODY, signWebhook(SECRET, BODY, now - 301), 300, now), false, 'too old');
    assert.equal(verify(SECRET, BODY, signWebhook(SECRET, BODY, now + 301), 300, now), false, 'from the future');
    assert.equal(verify(SECRET, BODY.replace('Hart', 'Evil'), signWebhook(SECRET, BODY, now), 300, now), false, 'another body');
    assert.equal(verify('wrong', BODY, signWebhook(SECRET, BODY, now), 300, now), false, 'another secret');
    const good = signWebhook(SECRET, BODY, now);
    for (const header of [
      undefined,
      '',
      'garbage',
      `t=${now}`,
      `v1=${mac(String(now))}`,
      `t=${now},v1=`,
      `t=${now},v1=${mac(String(now)).slice(0, 63)}`,
      `t=${now},v1=${mac(String(now)).toUpperCase()}`,
      `t=${now},v1=${'é'.repeat(32)}`,
      `t=${now - 10000},${good}`,
      `${good},t=${now - 10000}`,
      `${good},v1=${'0'.repeat(64)}`,
    ]) {
      assert.doesNotThrow(() => verify(SECRET, BODY, header as string, 300, now));
      assert.equal(verify(SECRET, BODY, header as string, 300, now), false, `${header} is refused`);
    }
  });
});
