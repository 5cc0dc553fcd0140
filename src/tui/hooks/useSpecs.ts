import { useEffect, useState } from 'react';
import type { AppSpec } from '../../model/app.js';
import type { Controller } from '../../model/controller.js';

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
    controller.describe('all').then(
      (result) => {
        if (!current || !result.ok) return;
        setSpecs(new Map(result.instances.map((detail) => [detail.spec.name, detail.spec])));
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [controller, key]);
  return specs;
}
