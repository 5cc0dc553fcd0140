import test from 'ava';
import { linesKeptOnExit } from '../helpers/exit-lines.js';

test('a Node app that prints 200,000 lines with console.log and calls process.exit(0) keeps them all, while two apps flood', async (t) => {
  t.timeout(360_000);
  const { kept, inOrder } = await linesKeptOnExit(t, 200_000, 'console');
  t.is(kept, 200_000);
  t.true(inOrder);
});
