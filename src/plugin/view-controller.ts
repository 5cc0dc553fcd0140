import type { Controller } from '../model/controller.js';
import type { InstanceInfo, SupervisorEvent } from '../model/events.js';
import type { InstanceId } from '../model/ids.js';
import { overriding } from './override.js';
import type { PluginViewsHost } from './views.js';

/** An event with every instance it carries given its plugin column values. */
function decorate(event: SupervisorEvent, views: PluginViewsHost, known: Map<InstanceId, InstanceInfo>): SupervisorEvent {
  switch (event.type) {
    case 'snapshot':
    case 'config':
      known.clear();
      for (const info of event.instances) known.set(info.id, info);
      return { ...event, instances: event.instances.map((info) => views.withColumns(info)) };
    case 'state':
      known.set(event.instance.id, event.instance);
      return { ...event, instance: views.withColumns(event.instance) };
    case 'metrics':
      // Values may follow CPU and memory: they are evaluated again with each sample, never on a timer of their own.
      return {
        ...event,
        samples: event.samples.map((sample) => {
          const info = known.get(sample.id);
          return info ? { ...sample, columns: views.valuesOf({ ...info, cpu: sample.cpu, memory: sample.memory }) } : sample;
        }),
      };
    default:
      return event;
  }
}

/**
 * The supervisor as the control socket serves it when plugins declare columns or panels: instances carry
 * their column values, and `views` / `panel` answer. Everything else is the supervisor's own.
 */
export function withPluginViews(controller: Controller, views: PluginViewsHost): Controller {
  if (views.isEmpty) return controller;
  const list: Controller['list'] = async () => (await controller.list()).map((info) => views.withColumns(info));
  const subscribe: Controller['subscribe'] = (listener, options) => {
    if (!views.hasColumns) return controller.subscribe(listener, options);
    const known = new Map<InstanceId, InstanceInfo>();
    return controller.subscribe((event) => listener(decorate(event, views, known)), options);
  };
  return overriding(controller, {
    list,
    subscribe,
    views: () => Promise.resolve(views.definitions()),
    panel: async (plugin, id, width) => views.panel(plugin, id, width, await controller.list()),
  });
}
