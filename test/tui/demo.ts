import type { LogLine } from '../../src/model/events.js';
import { FakeController, info, online, specFor } from './fake-controller.js';

/** Six instances in every interesting state, with some history: the demo ecosystem as the TUI would see it. */
export function demoController(): FakeController {
  const now = Date.now();
  const instances = [
    info('api', online(4101, now - 3_600_000), { cpu: 1.5, memory: 48 * 1024 * 1024, note: 'ready: http 200' }),
    info('worker', online(4102, now - 125_000, 2), { cpu: 12.25, memory: 60 * 1024 * 1024 }),
    info('seed', { status: 'exited', code: 0, signal: null, restarts: 0, since: now - 10_000 }),
    info('flaky', { status: 'backoff', retryAt: now + 4_000, restarts: 3, code: 1, signal: null }),
    info('ticker', online(4105, now - 60_000), { index: 0, cpu: 0.2, memory: 40 * 1024 * 1024 }),
    info('ticker', online(4106, now - 60_000), { index: 1, cpu: 0.3, memory: 41 * 1024 * 1024 }),
    info('mailer', { status: 'pending', reason: 'waiting for api to be ready', restarts: 0 }),
    info('broken', { status: 'errored', reason: 'too many unstable restarts (5)', restarts: 5, since: now - 1000 }),
  ];
  const history: LogLine[] = [];
  let seq = 0;
  const add = (app: string, index: number, line: string): void => {
    history.push({ seq: ++seq, id: `${app}:${index}`, app, stream: 'out', time: now, line });
  };
  for (let i = 1; i <= 40; i++) {
    add('api', 0, `GET /health 200 ${i}ms`);
    add('worker', 0, `\x1b[32mdone\x1b[0m job ${i} on emails`);
    if (i % 10 === 0) add('ticker', 1, `tick ${i}`);
  }
  add('worker', 0, 'warn: queue emails is slow');
  const specs = new Map([
    ['api', specFor('api', { readiness: { check: { kind: 'http', url: 'http://127.0.0.1:3000/health' }, intervalMs: 500, timeoutMs: 1000, retries: 0, initialDelayMs: 0 }, ports: { PORT: 3000 } })],
    ['worker', specFor('worker', { readiness: { check: { kind: 'tcp', host: '127.0.0.1', port: 7000 }, intervalMs: 500, timeoutMs: 1000, retries: 0, initialDelayMs: 0 } })],
    ['mailer', specFor('mailer', { dependsOn: [{ app: 'api', condition: 'ready' }] })],
  ]);
  return new FakeController(instances, history, specs);
}
