import type { InstanceInfo } from '../../src/model/events.js';
import { FakeController, info, online } from './fake-controller.js';

/** A master's Controller: the federation plugin's nodes, list and run, served from what the test sets. */
export class FakeMaster extends FakeController {
  nodes: { name: string; id: string; state: 'online' | 'stale' | 'offline'; seen?: string; rttMs?: number; version?: string; apps?: number }[] = [];
  remote = new Map<string, readonly InstanceInfo[]>();
  outcome: (node: string) => { status: string; message?: string } = () => ({ status: 'ok' });
  readonly plugin: { method: string; params: unknown }[] = [];
  /** What follow.next answers next, per node; a follow's id is `f-<node>`. */
  readonly pending = new Map<string, unknown[]>();
  tails = new Map<string, readonly unknown[]>();
  closed: string[] = [];
  /** A worker's specs by `node/app:index`: what describe through run answers. */
  remoteSpecs = new Map<string, unknown>();

  async callPlugin(plugin: string, method: string, params: unknown = null): Promise<unknown> {
    this.plugin.push({ method, params });
    if (plugin !== 'federation') throw new Error(`no plugin named "${plugin}"`);
    switch (method) {
      case 'nodes':
        return this.nodes;
      case 'list': {
        const selector = (params as { node: string }).node;
        const lists = [
          { node: 'hub', ok: true, instances: await this.list() },
          ...this.nodes.map((node) => (node.state === 'offline' ? { node: node.name, ok: false, instances: [], error: 'offline' } : { node: node.name, ok: true, instances: this.remote.get(node.name) ?? [] })),
        ];
        return lists.filter((list) => selector === 'all' || list.node === selector);
      }
      case 'follow': {
        const node = (params as { node: string }).node;
        return { id: `f-${node}`, tails: [{ node, status: 'ok', value: { ok: true, lines: this.tails.get(node) ?? [] } }] };
      }
      case 'follow.next': {
        const node = (params as { id: string }).id.slice(2);
        // A long poll: what is queued, or nothing after a short wait.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return this.pending.get(node)?.splice(0) ?? [];
      }
      case 'follow.close':
        this.closed.push((params as { id: string }).id);
        return true;
      case 'run': {
        const { node, command } = params as { node: string; command: { verb: string; target: string } };
        const nodes = node === 'all' ? ['hub', ...this.nodes.map((n) => n.name)] : [node];
        return nodes.map((name) => ({ node: name, ...this.outcome(name), ...(command.verb === 'describe' ? { value: this.describeOn(name, command.target) } : {}) }));
      }
      default:
        throw new Error(`unknown method ${method}`);
    }
  }

  /** What a node's Controller answers to describe: the spec of the app of `app:index`. */
  describeOn(node: string, target: string): unknown {
    const spec = this.remoteSpecs.get(`${node}/${target}`);
    return spec === undefined ? { ok: false, code: 'unknown_target', message: `no app ${target}` } : { ok: true, instances: [{ info: {}, spec, pid: 4242 }] };
  }

  runs(): readonly unknown[] {
    return this.plugin.filter((call) => call.method === 'run').map((call) => call.params);
  }
}

export function master(): FakeMaster {
  const controller = new FakeMaster([info('api', online(1001))]);
  const seen = new Date().toISOString();
  controller.nodes = [
    { name: 'nas', id: 'AAAA', state: 'online', seen, rttMs: 3, version: '0.1.0', apps: 2 },
    { name: 'pi', id: 'BBBB', state: 'online', seen, rttMs: 12, version: '0.1.0', apps: 1 },
  ];
  controller.remote.set('nas', [info('api', online(2001)), info('backup', { status: 'stopped', restarts: 0, since: Date.now() })]);
  controller.remote.set('pi', [info('sensor', online(3001))]);
  return controller;
}
