const MS_PER_DAY = 86_400_000;
const ZERO = 48;

/**
 * `date.toISOString()`, computed from the time value with integer arithmetic (the civil-from-days
 * algorithm of Howard Hinnant's date library). V8's toISOString goes through its date cache
 * and costs about half a microsecond: every account and history entry the widget lists carries
 * a few, a tenth of a history page (npm run bench -- agencies). The string is made in one
 * piece from its character codes: joined parts leave a dozen strings of garbage each. Years
 * outside 1000 to 9999 and invalid dates go to toISOString itself (six-digit years, the RangeError).
 */
export function isoString(date: Date): string {
  const time = date.getTime();
  const days = Math.floor(time / MS_PER_DAY);
  let ms = time - days * MS_PER_DAY;
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (!(year >= 1000 && year <= 9999)) return date.toISOString();
  const hours = Math.floor(ms / 3_600_000);
  ms -= hours * 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms -= minutes * 60_000;
  const seconds = Math.floor(ms / 1_000);
  ms -= seconds * 1_000;
  return String.fromCharCode(
    ZERO + Math.floor(year / 1000), ZERO + (Math.floor(year / 100) % 10), ZERO + (Math.floor(year / 10) % 10), ZERO + (year % 10), 45 /* - */,
    ZERO + Math.floor(month / 10), ZERO + (month % 10), 45 /* - */, ZERO + Math.floor(day / 10), ZERO + (day % 10), 84 /* T */,
    ZERO + Math.floor(hours / 10), ZERO + (hours % 10), 58 /* : */, ZERO + Math.floor(minutes / 10), ZERO + (minutes % 10), 58 /* : */,
    ZERO + Math.floor(seconds / 10), ZERO + (seconds % 10), 46 /* . */, ZERO + Math.floor(ms / 100), ZERO + (Math.floor(ms / 10) % 10), ZERO + (ms % 10), 90 /* Z */,
  );
}
