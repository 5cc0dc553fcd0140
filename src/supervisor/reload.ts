import type { InstanceRunner } from './instance.js';

/** Waits until a runner is online, or has failed to get there. */
export function settled(runner: InstanceRunner): Promise<boolean> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const status = runner.state.status;
      if (status === 'online') return finish(true);
      if (status === 'errored' || status === 'exited' || status === 'backoff') return finish(false);
      if (status === 'stopped' && !runner.wantsToRun) return finish(false);
      return false;
    };
    let unsubscribe: () => void = () => undefined;
    const finish = (ok: boolean): boolean => {
      unsubscribe();
      resolve(ok);
      return true;
    };
    if (!check()) unsubscribe = runner.watch(() => void check());
  });
}

/**
 * A rolling restart of one instance. Cluster workers overlap: the new worker must be online before the old
 * one stops, so the shared port never goes unanswered. Fork-mode instances usually hold their own port, so
 * they restart in place and the next one waits until this one is back online.
 */
export async function rollInstance(
  old: InstanceRunner,
  replace: (fresh: InstanceRunner) => void,
  create: () => InstanceRunner,
): Promise<void> {
  if (old.app.execMode !== 'cluster' || old.state.status !== 'online') {
    await old.restart();
    await settled(old);
    return;
  }
  const fresh = create();
  fresh.inherit(old);
  fresh.mute();
  fresh.start();
  const ok = await settled(fresh);
  if (!ok) {
    await fresh.stop();
    return;
  }
  old.mute();
  fresh.unmute();
  replace(fresh);
  await old.stop();
}
