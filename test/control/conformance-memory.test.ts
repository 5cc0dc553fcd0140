import { ControlClient } from '../../src/control/client.js';
import { Connection } from '../../src/control/connection.js';
import { memoryPortPair } from '../../src/control/memory-port.js';
import { controllerConformance } from './conformance.js';
import { inProcessSupervisor } from './in-process.js';

/** The client and the connection over an in-memory port pair: the transport a mesh session stands in for. */
controllerConformance('client over a memory port', async (apps) => {
  const local = await inProcessSupervisor(apps);
  const [clientSide, serverSide] = memoryPortPair();
  new Connection(serverSide, { controller: local.supervisor, identity: { pid: process.pid, project: 'memory', version: '0.0.0' }, plugins: undefined });
  const client = new ControlClient(clientSide);
  return {
    controller: client,
    setApps: local.setApps,
    dispose: async () => {
      await client.close();
      await local.dispose();
    },
  };
});
