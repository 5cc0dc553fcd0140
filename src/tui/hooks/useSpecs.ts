import { useEffect, useState } from 'react';
import type { AppSpec } from '../../model/app.js';
import type { Controller } from '../../model/controller.js';

const TRIES = 5;
const RETRY_MS = 2000;

/**
 * Each app's spec (command, readiness, dependencies, log files), asked once per set of apps: the table tells
 * `ready ✓ http` from `up (no check)` with it, and the detail panel shows it. Empty until it arrives.
 */
export function useSpecs(controller: Controller, apps: readonly string[]): ReadonlyMap<string, AppSpec> {
  const [specs, setSpecs] = useState<ReadonlyMap<string, AppSpec>>(new Map());
  const key = apps.join('\n');
  useEffect(() => {
    if (key === '') return;
    let current = true;
    let timer: NodeJS.Timeout | undefined;
    const ask = (triesLeft: number): void => {
      const retry = (): void => {
        if (current && triesLeft > 1) timer = setTimeout(() => ask(triesLeft - 1), RETRY_MS);
      };
      controller.describe('all').then((result) => {
        if (!current) return;
        if (!result.ok) return retry();
        setSpecs(new Map(result.instances.map((detail) => [detail.spec.name, detail.spec])));
      }, retry);
    };
    ask(TRIES);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [controller, key]);
  return specs;
}
