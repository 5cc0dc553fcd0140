import test from 'ava';
import { CommandWindow, type Admission } from '../../../plugins/federation/dedupe.js';

/** Replayed command ids never run twice; the window stays bounded. */

type Result = { readonly ok: boolean; readonly ran: number };

/** A worker's executor: counts how often the command body really ran. */
function executor(window: CommandWindow<Result>) {
  let runs = 0;
  return {
    runs: () => runs,
    exec(scope: string, id: unknown): Admission<Result> | Result {
      const admission = window.admit(scope, id);
      if (admission.kind !== 'run') return admission;
      runs++;
      const result = { ok: true, ran: runs };
      window.complete(scope, id, result);
      return result;
    },
  };
}

test('a replayed id returns the recorded result and does not run again', (t) => {
  const worker = executor(new CommandWindow<Result>());
  t.deepEqual(worker.exec('master-key', 7), { ok: true, ran: 1 });
  t.deepEqual(worker.exec('master-key', 7), { kind: 'replay', result: { ok: true, ran: 1 } });
  t.deepEqual(worker.exec('master-key', '7'), { kind: 'replay', result: { ok: true, ran: 1 } }, '7 and "7" are one id');
  t.deepEqual(worker.exec('master-key', 8), { ok: true, ran: 2 });
  t.is(worker.runs(), 2);
});

test('an id is scoped: the same id from another issuer runs', (t) => {
  const worker = executor(new CommandWindow<Result>());
  worker.exec('a', 'cmd-1');
  t.deepEqual(worker.exec('b', 'cmd-1'), { ok: true, ran: 2 });
});

test('a replay while the command still runs is refused, never run twice', (t) => {
  const window = new CommandWindow<Result>();
  t.deepEqual(window.admit('m', 1), { kind: 'run' });
  t.like(window.admit('m', 1), { kind: 'refused', reason: 'in_progress' });
  window.complete('m', 1, { ok: false, ran: 1 });
  t.deepEqual(window.admit('m', 1), { kind: 'replay', result: { ok: false, ran: 1 } });
});

test('bad ids are refused with what was expected', (t) => {
  const window = new CommandWindow<Result>();
  for (const bad of [-1, 1.5, Number.NaN, '', 'has space', 'x'.repeat(129), null, undefined, {}, ['1']]) {
    t.like(window.admit('m', bad), { kind: 'refused', reason: 'bad_id' }, JSON.stringify(bad));
  }
});

test('the window is bounded; a numeric id that left it is refused, not re-run', (t) => {
  const window = new CommandWindow<Result>({ perScope: 4, scopes: 2 });
  const worker = executor(window);
  for (let id = 0; id < 100; id++) worker.exec('m', id);
  t.is(window.size, 4);
  t.like(worker.exec('m', 3), { kind: 'refused', reason: 'expired' });
  t.like(worker.exec('m', 95), { kind: 'refused', reason: 'expired' });
  t.like(worker.exec('m', '95'), { kind: 'refused', reason: 'expired' }, 'the same id as text');
  t.deepEqual(worker.exec('m', 99), { kind: 'replay', result: { ok: true, ran: 100 } });
  t.is(worker.runs(), 100);
});

test('running commands are never forgotten: a full window of running commands refuses new ones', (t) => {
  const window = new CommandWindow<Result>({ perScope: 2, scopes: 2 });
  window.admit('m', 'a');
  window.admit('m', 'b');
  t.like(window.admit('m', 'c'), { kind: 'refused', reason: 'busy' });
  window.complete('m', 'a', { ok: true, ran: 1 });
  t.deepEqual(window.admit('m', 'c'), { kind: 'run' });
  t.like(window.admit('m', 'b'), { kind: 'refused', reason: 'in_progress' });
});

test('scopes are bounded too, least recently used first', (t) => {
  const window = new CommandWindow<Result>({ perScope: 8, scopes: 2 });
  const worker = executor(window);
  worker.exec('a', 1);
  worker.exec('b', 1);
  worker.exec('a', 2);
  worker.exec('c', 1);
  t.like(worker.exec('a', 1), { kind: 'replay' }, 'a was used recently and kept');
  t.is(window.size, 3, 'b was forgotten');
});
