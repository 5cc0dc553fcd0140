import type { Controller } from '../model/controller.js';

/** The controller with some of its methods replaced; every other member is the controller's own, bound to it. */
export function overriding(controller: Controller, replaced: Partial<Controller>): Controller {
  return new Proxy(controller, {
    get: (target, key) => {
      if (Object.hasOwn(replaced, key)) return Reflect.get(replaced, key);
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
