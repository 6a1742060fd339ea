const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const integer = new Intl.NumberFormat(undefined);
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
// Days from the stats are calendar days, not instants: read and print them in UTC so no
// time zone moves them to the day before.
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export const formatPercent = (x: number) => percent.format(Number(x));
export const formatCount = (x: number) => integer.format(Number(x));
export const formatDate = (iso: string) => date.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));
export const formatDay = (yyyyMmDd: string) => day.format(new Date(`${yyyyMmDd.slice(0, 10)}T00:00:00Z`));
