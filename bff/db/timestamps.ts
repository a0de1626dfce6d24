import pg from 'pg';

/** pg's own parser (postgres-date): every form PostgreSQL writes, BC years and infinity included. */
const parseAnyTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ, 'text') as (text: string) => Date | number | null;

/** The number written by `count` decimal digits from `at`, or -1 when one of them is not a digit. */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A timestamptz as PostgreSQL writes it (DateStyle ISO): `2026-12-02 19:27:00.123456+00`, with
 * an offset of `±HH`, `±HH:MM` or `±HH:MM:SS` and up to six digits of seconds' fraction. Every
 * row the BFF reads carries a few, and pg's general parser (three regular expressions and a
 * split for each) was a tenth of a history page's cost (npm run bench -- agencies). This reads
 * the usual form digit by digit; years before 100 or after 9999, BC and infinity go to pg's
 * parser, as does anything else it does not expect.
 */
export function parseTimestamptz(text: string): Date | number | null {
  const length = text.length;
  if (length >= 22 && text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45 && text.charCodeAt(10) === 32 && text.charCodeAt(13) === 58 && text.charCodeAt(16) === 58) {
    const year = digits(text, 0, 4);
    const month = digits(text, 5, 2);
    const day = digits(text, 8, 2);
    const hour = digits(text, 11, 2);
    const minute = digits(text, 14, 2);
    const second = digits(text, 17, 2);
    let at = 19;
    let ms = 0;
    if (text.charCodeAt(at) === 46) {
      // Milliseconds are the first three digits; Date keeps no finer time (pg's parser truncates too).
      const start = ++at;
      let scale = 100;
      while (at < length && at - start < 6) {
        const digit = text.charCodeAt(at) - 48;
        if (digit < 0 || digit > 9) break;
        ms += digit * scale;
        scale = scale > 1 ? scale / 10 : 0;
        at++;
      }
      if (at === start) return parseAnyTimestamptz(text);
    }
    const sign = text.charCodeAt(at) === 43 ? 1 : text.charCodeAt(at) === 45 ? -1 : 0;
    let offset = sign === 0 ? -1 : digits(text, at + 1, 2) * 3600;
    at += 3;
    if (offset >= 0 && at < length && text.charCodeAt(at) === 58) {
      const minutes = digits(text, at + 1, 2);
      offset = minutes < 0 ? -1 : offset + minutes * 60;
      at += 3;
      if (offset >= 0 && at < length && text.charCodeAt(at) === 58) {
        const seconds = digits(text, at + 1, 2);
        offset = seconds < 0 ? -1 : offset + seconds;
        at += 3;
      }
    }
    if (year >= 100 && month >= 1 && day >= 1 && hour >= 0 && minute >= 0 && second >= 0 && offset >= 0 && at === length) {
      return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - sign * offset * 1000);
    }
  }
  return parseAnyTimestamptz(text);
}

