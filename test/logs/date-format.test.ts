import test from 'ava';
import { compileDateFormat, DEFAULT_DATE_FORMAT } from '../../src/logs/date-format.js';

const offset = (date: Date): string => {
  const minutes = -date.getTimezoneOffset();
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
};

test('the common dayjs tokens, in local time', (t) => {
  const date = new Date(2024, 0, 5, 7, 8, 9, 42);
  t.is(compileDateFormat('YYYY-MM-DD HH:mm:ss.SSS')(date.getTime()), '2024-01-05 07:08:09.042');
  t.is(compileDateFormat('YY/M/D h:m:s A')(date.getTime()), '24/1/5 7:8:9 AM');
  t.is(compileDateFormat(DEFAULT_DATE_FORMAT)(date.getTime()), `2024-01-05T07:08:09.042${offset(date)}`);
  t.is(compileDateFormat('ZZ')(date.getTime()), offset(date).replace(':', ''));
});

test('[escaped] text is literal', (t) => {
  const date = new Date(2024, 11, 31, 23, 0, 0, 0);
  t.is(compileDateFormat('[YYYY is] YYYY, hh a')(date.getTime()), 'YYYY is 2024, 11 pm');
});
