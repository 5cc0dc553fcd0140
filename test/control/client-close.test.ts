import { once } from 'node:events';
import test from 'ava';
import { connectControl } from '../../src/control/client.js';
import { GOOD_HELLO, rawServer } from './raw-server.js';

test('close with nothing left to hear closes at once, without waiting for the server to end its side', async (t) => {
  const { socketPath, peer } = await rawServer(t, { hello: GOOD_HELLO, endOnEnd: false });
  const client = await connectControl(socketPath);
  const { socket, nextRequest, reply } = await peer;
  const listed = client.list();
  reply((await nextRequest()).id, []);
  t.deepEqual(await listed, []);
  const serverSawEnd = once(socket, 'end');
  await client.close();
  await serverSawEnd;
  t.true(socket.readableEnded);
  t.is(client.closeReason, undefined, 'a close this side asked for is no failure');
});

test('close with a reply still due half-closes: the reply still arrives', async (t) => {
  const { socketPath, peer } = await rawServer(t, { hello: GOOD_HELLO, endOnEnd: false });
  const client = await connectControl(socketPath);
  const { socket, nextRequest, reply } = await peer;
  const listed = client.list();
  const { id } = await nextRequest();
  const closed = client.close();
  await once(socket, 'end');
  reply(id, []);
  socket.end();
  t.deepEqual(await listed, []);
  await closed;
});
