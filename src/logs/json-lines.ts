import type { LogStream } from '../model/events.js';
import { compileDateFormat } from './date-format.js';

export type JsonLines = (data: Buffer, kind: LogStream, time: number) => Buffer;

/**
 * pm2's log_type 'json': one object per line, as pm2 writes them (lib/ProcessContainer.js) and its readers
 * parse them: the line with its newline as `message`, the time as ISO text (or in log_date_format),
 * the stream as `type`, the instance as `process_id`, the app as `app_name`.
 */
export function jsonLines(app: string, index: number, dateFormat: string | undefined): JsonLines {
  const format = dateFormat === undefined ? (time: number) => new Date(time).toISOString() : compileDateFormat(dateFormat);
  return (data, kind, time) => {
    const timestamp = format(time);
    const text = data.toString('utf8');
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
    let out = '';
    for (const line of lines) out += `${JSON.stringify({ message: `${line}\n`, timestamp, type: kind, process_id: index, app_name: app })}\n`;
    return Buffer.from(out);
  };
}
