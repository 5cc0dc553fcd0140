import test from 'ava';
import { runJsonFixture } from '../helpers/fixture.js';
import { FLOOD_PIPE_BYTES, LARGE_PIPE_BYTES, PipeBudget } from '../../src/supervisor/native-pipes.js';
import { DEFAULT_PIPE_BYTES } from '../../src/supervisor/pipe.js';

const MIB = 1024 * 1024;
const FIXTURE = 'test/fixtures/procs/native-pipes.js';

const run = (env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> => runJsonFixture(FIXTURE, env);

test('the native helper is built on Linux: 256 KiB pipes from a budget, 1 MiB once found full, a non-blocking read end, and a child that floods 200 KiB exits while nobody reads', async (t) => {
  const seen = await run();
  t.true(seen.loaded, 'npm install builds native/pipe.c with node-gyp; see README');
  t.like(seen, {
    capacity: LARGE_PIPE_BYTES,
    emptyRead: 'EAGAIN',
    carried: 'a line\n',
    endRead: 0,
    defaultCapacity: true,
    badArgument: 'makePipe(capacity: number)',
    capacities: [LARGE_PIPE_BYTES, LARGE_PIPE_BYTES, DEFAULT_PIPE_BYTES],
    afterRelease: LARGE_PIPE_BYTES - DEFAULT_PIPE_BYTES,
    fourth: LARGE_PIPE_BYTES,
    readerRead: 'bye\n',
    budgetAfterClose: 0,
    grown: FLOOD_PIPE_BYTES,
    grownCapacity: FLOOD_PIPE_BYTES,
    grownHeld: 2 * (LARGE_PIPE_BYTES - DEFAULT_PIPE_BYTES) + (FLOOD_PIPE_BYTES - LARGE_PIPE_BYTES),
    shortGrow: LARGE_PIPE_BYTES,
    grownReleased: LARGE_PIPE_BYTES - DEFAULT_PIPE_BYTES,
    capacityAfterFullRead: FLOOD_PIPE_BYTES,
    firstFullRead: LARGE_PIPE_BYTES,
    fullBytes: 300 * 1024,
    spawnBudgetHeld: 2 * (LARGE_PIPE_BYTES - DEFAULT_PIPE_BYTES),
    missingOutput: true,
    spawnBudgetAfter: 0,
    poolCapacity: LARGE_PIPE_BYTES,
    childExit: 0,
    floodRead: 200 * 1024,
  });
});

test('NODE_UNIT_NATIVE=0 turns the helper off (pipes are then made with mkfifo)', async (t) => {
  t.deepEqual(await run({ NODE_UNIT_NATIVE: '0' }), { loaded: false });
});

test('a pipe budget holds what fits, and each release gives its share back once', (t) => {
  const budget = new PipeBudget(3 * MIB);
  const first = budget.hold(2 * MIB);
  t.truthy(first);
  t.is(budget.hold(2 * MIB), undefined);
  first?.();
  first?.();
  t.is(budget.inUse, 0);
  t.truthy(budget.hold(3 * MIB));
});

test("the budget is a quarter of the system's per-user pipe limit", (t) => {
  t.is(new PipeBudget(1).limit, 1);
  const system = PipeBudget.forThisSystem();
  t.true(system.limit > 0 && system.limit <= 64 * MIB);
});

test('a control socket grows its kernel send buffer (as far as net.core.wmem_max lets it): a flood reaches a follower in large writes', async (t) => {
  const seen = await runJsonFixture('test/fixtures/procs/send-buffer.js');
  t.true(seen.loaded, 'npm install builds native/pipe.c with node-gyp; see README');
  t.true(seen.hasSetSendBuffer, 'the helper was built with setSendBuffer (npm install rebuilds it)');
  const [before, after, wanted, wmemMax] = [Number(seen.before), Number(seen.after), Number(seen.wanted), Number(seen.wmemMax)];
  // The kernel reports twice what it grants, and grants at most wmem_max.
  t.is(after, 2 * Math.min(wanted, wmemMax), `grown from ${before} to ${after}`);
  t.true(after > before || before >= 2 * Math.min(wanted, wmemMax));
  t.is(seen.badArgument, 'setSendBuffer(fd: number, bytes: number)');
});
