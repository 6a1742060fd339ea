// X's legacy created_at, e.g. "Wed Oct 10 20:19:24 +0000 2018". Date.parse would accept it on
// V8 but reads malformed variants leniently (and differently elsewhere), so it is parsed by hand.
const X_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d\d) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The instant of an X created_at string, or null when it is not exactly that format or no real date. */
export function parseXDate(text: string): Date | null {
  const m = X_DATE.exec(text);
  if (!m) return null;
  const [, mon, dd, hh, mi, ss, sign, oh, om, yyyy] = m as unknown as string[];
  const month = MONTHS.indexOf(mon!);
  const [year, day, hour, minute, second] = [yyyy, dd, hh, mi, ss].map(Number) as [number, number, number, number, number];
  if (hour > 23 || minute > 59 || second > 59 || Number(om) > 59) return null;
  const local = Date.UTC(year, month, day, hour, minute, second);
  const check = new Date(local);
  // Refuses Feb 30 rather than rolling it into March.
  if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return null;
  const offsetMin = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
  return new Date(local - offsetMin * 60_000);
}
