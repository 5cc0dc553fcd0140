import type { ExportApp, ExportTarget, Untranslated } from './types.js';

/** How a key fares in a target: translated (with what it becomes), or advice on what to do instead. */
export type Verdict = { readonly ok: true; readonly as: string } | { readonly ok: false; readonly advice: string };
type Cell = Verdict | ((app: ExportApp) => Verdict);
type Row = Readonly<Record<ExportTarget, Cell>>;

const as = (text: string): Verdict => ({ ok: true, as: text });
const no = (advice: string): Verdict => ({ ok: false, advice });
const same = (verdict: Verdict): Row => ({ nomad: verdict, k8s: verdict, compose: verdict, systemd: verdict });

const LOGS_ADVICE: Readonly<Record<ExportTarget, string>> = {
  nomad: 'Nomad keeps stdout and stderr per task: read them with `nomad alloc logs`',
  k8s: 'containers log to stdout and stderr: read them with `kubectl logs`; the kubelet rotates them',
  compose: 'containers log to stdout and stderr: read them with `docker compose logs`; set a logging driver for files and rotation',
  systemd: 'journald keeps stdout and stderr: read them with `journalctl -u <unit>`',
};
const logRow = (overrides: Partial<Record<ExportTarget, Verdict>> = {}): Row => ({
  nomad: overrides.nomad ?? no(LOGS_ADVICE.nomad),
  k8s: overrides.k8s ?? no(LOGS_ADVICE.k8s),
  compose: overrides.compose ?? no(LOGS_ADVICE.compose),
  systemd: overrides.systemd ?? no(LOGS_ADVICE.systemd),
});

const WATCH = no('file watching is for development: build a new image (or install new files) and roll it out');
const WAIT_READY = no("process.send('ready') needs node-unit's IPC channel: use readiness: { http | tcp | exec } instead");
const PM2_ONLY = no('has no effect in node-unit either: remove it');
const oneIndexPerReplica = (target: string) => (app: ExportApp): Verdict =>
  app.spec.instances > 1
    ? no(`every ${target} replica sees ${app.spec.instanceVar}=0: ${target === 'Kubernetes' ? "use a StatefulSet and read the ordinal from the pod's name" : 'make the replicas alike'}`)
    : as(`${app.spec.instanceVar}=0`);
const fixedPorts = (what: string): Cell => (app) => {
  const chosen = Object.entries(app.spec.ports).filter(([, port]) => port === 0).map(([variable]) => variable);
  return chosen.length > 0 ? no(`${chosen.join(', ')} is 0 (picked at start by node-unit): write a fixed port`) : as(what);
};
/** `docker compose up` hands the engine only the policy and the retry count (docker/compose getRestartPolicy). */
const swarmOnly = (field: 'delay' | 'window'): string =>
  `written as deploy.restart_policy.${field}, which only Swarm (docker stack deploy) honours; docker compose up leaves restarts to the engine, which waits 100 ms, doubling, and forgets after 10 s of running`;
/** Docker restarts a container only after a failure when the app's only clean exit code is 0: `restart: on-failure`. */
export const restartsOnFailureOnly = (app: ExportApp): boolean => app.spec.stopExitCodes.length === 1 && app.spec.stopExitCodes[0] === 0;
/** 'max', 0 and -1 count the CPUs of the machine that runs the app; an export would bake in this machine's. */
const perCpu = (cell: Cell): Cell => (app) => {
  const verdict = typeof cell === 'function' ? cell(app) : cell;
  if (!app.perCpuInstances) return verdict;
  const advice = `counts the CPUs of the machine the app runs on: written as ${app.spec.instances}, the count of this machine; write the number of replicas you want`;
  return no(verdict.ok ? advice : `${advice}; ${verdict.advice}`);
};
const ADVICE_INCREMENT = 'the variable is the same in every instance: derive per-instance values in the app from NODE_APP_INSTANCE';

/** Every key of an ecosystem app, and what it becomes in each target. The README's table is this one. */
export const TRANSLATION: Readonly<Record<string, Row>> = {
  name: same(as('the unit, group, service or container name')),
  script: same(as('the command')),
  args: same(as('the command arguments')),
  cwd: { nomad: as('work_dir'), k8s: as('workingDir'), compose: as('working_dir'), systemd: as('WorkingDirectory=') },
  interpreter: same(as('the program of the command')),
  interpreter_args: same(as('arguments before the script')),
  node_args: same(as('arguments before the script')),
  env: { nomad: as('env'), k8s: as('a ConfigMap'), compose: as('environment'), systemd: as('Environment=') },
  env_file: { nomad: as('a template with env = true'), k8s: as('its variables in the ConfigMap'), compose: as('its variables in environment'), systemd: as('EnvironmentFile=') },
  filter_env: same(as('the target starts from a clean environment')),
  instances: {
    nomad: perCpu(as('count')),
    k8s: perCpu((app) => (app.spec.instances > 1 ? oneIndexPerReplica('Kubernetes')(app) : as('replicas'))),
    compose: perCpu((app) => (app.spec.instances > 1 ? oneIndexPerReplica('Compose')(app) : as('deploy.replicas'))),
    // The units run on this machine: its CPUs are the ones that count.
    systemd: as('a template unit name@.service and a target'),
  },
  exec_mode: {
    nomad: as('one allocation per instance'),
    k8s: as('one pod per instance behind the Service'),
    compose: as('one container per replica'),
    systemd: (app) =>
      app.spec.execMode === 'cluster' && app.spec.instances > 1
        ? no('cluster mode shares one port between instances; separate units cannot: give each instance its own port, or run the app under `node-unit startup`')
        : as('one unit per instance'),
  },
  instance_var: {
    nomad: as('${NOMAD_ALLOC_INDEX}'),
    k8s: oneIndexPerReplica('Kubernetes'),
    compose: oneIndexPerReplica('Compose'),
    systemd: as('%i of the template unit'),
  },
  increment_var: same(no(ADVICE_INCREMENT)),
  autostart: { nomad: as('count = 0 when false'), k8s: (app) =>
      app.spec.autostart || app.spec.node !== 'all'
        ? as('replicas: 0 when false')
        : no('a DaemonSet has no replica count: it starts on every node once applied; apply it only when the app should run'), compose: as('profile "manual" when false'), systemd: as('no [Install] section when false') },
  autorestart: {
    nomad: (app) => (app.spec.autorestart ? as('restart') : no('Nomad service jobs expect tasks to keep running: the group runs once (no restart, no reschedule) and shows failed when done; a separate batch job fits better')),
    k8s: as('a Job when false'),
    compose: as('restart'),
    systemd: as('Restart=, Type=oneshot when false'),
  },
  max_restarts: { nomad: as('restart.attempts'), k8s: no('Kubernetes retries a crashed container forever with its own back-off (10 s doubling to 5 min): alert on CrashLoopBackOff'), compose: (app) =>
      !app.spec.autorestart || restartsOnFailureOnly(app)
        ? as('deploy.restart_policy.max_attempts')
        : no('Docker counts restarts only with restart: on-failure (the daemon refuses a limit on "always"), so this app restarts forever: set stop_exit_codes: [0], or alert on the restart count'),
    systemd: as('StartLimitBurst=') },
  min_uptime: { nomad: as('restart.interval'), k8s: no('Kubernetes resets its back-off after 10 minutes of running; minReadySeconds is the nearest setting'), compose: no(swarmOnly('window')), systemd: as('StartLimitIntervalSec=') },
  restart_delay: { nomad: as('restart.delay'), k8s: no('Kubernetes chooses the delay itself (10 s doubling to 5 min)'), compose: no(swarmOnly('delay')), systemd: as('RestartSec=') },
  exp_backoff_restart_delay: {
    nomad: as('reschedule with delay_function = "exponential"'),
    k8s: no('Kubernetes always backs off exponentially (10 s doubling to 5 min)'),
    compose: no('Docker doubles the delay between restarts itself, from 100 ms'),
    systemd: no('systemd 254 and later have RestartSteps= and RestartMaxDelaySec=: add them by hand; RestartSec= holds the first delay'),
  },
  stop_exit_codes: {
    nomad: no('Nomad restarts a service task however it exits: move the app to a batch job if it may finish'),
    k8s: no('a Deployment restarts a container however it exits: a Job (autorestart: false) runs to completion'),
    compose: (app) => (restartsOnFailureOnly(app) ? as('restart: on-failure') : no('Docker can only skip restarts after exit 0 (restart: on-failure)')),
    systemd: as('RestartPreventExitStatus='),
  },
  kill_timeout: { nomad: as('kill_timeout'), k8s: as('terminationGracePeriodSeconds'), compose: as('stop_grace_period'), systemd: as('TimeoutStopSec=') },
  kill_signal: { nomad: as('kill_signal'), k8s: (app) => (app.spec.killSignal === 'SIGTERM' ? as('SIGTERM, the only signal it sends') : no('Kubernetes sends SIGTERM: make the app stop on SIGTERM, or add a preStop hook that sends this signal')), compose: as('stop_signal'), systemd: as('KillSignal=') },
  max_memory_restart: { nomad: as('resources.memory (MB)'), k8s: as('resources.limits.memory'), compose: as('deploy.resources.limits.memory'), systemd: as('MemoryMax=') },
  cron_restart: {
    nomad: no('add a periodic batch job that runs `nomad job restart` on the schedule'),
    k8s: no('add a CronJob that runs `kubectl rollout restart` on the schedule'),
    compose: no('add a host crontab entry that runs `docker compose restart <service>`'),
    systemd: no('add a .timer unit (OnCalendar=) whose service runs `systemctl restart <unit>`'),
  },
  watch: same(WATCH),
  ignore_watch: same(WATCH),
  watch_delay: same(WATCH),
  watch_options: same(WATCH),
  wait_ready: same(WAIT_READY),
  listen_timeout: same(WAIT_READY),
  out_file: logRow({ systemd: as('StandardOutput=append:') }),
  error_file: logRow({ systemd: as('StandardError=append:') }),
  log_file: logRow(),
  merge_logs: logRow(),
  combine_logs: logRow(),
  time: logRow(),
  log_date_format: logRow(),
  log_max_size: logRow({ nomad: as('logs.max_file_size') }),
  log_max_files: logRow({ nomad: as('logs.max_files') }),
  log_buffer: logRow(),
  log_type: logRow(),
  namespace: { nomad: as('meta.namespace'), k8s: as('metadata.namespace'), compose: as('a label'), systemd: no('systemd has no namespaces: give the units a common prefix and group them under a .target') },
  port: { nomad: as('PORT and a port'), k8s: as('PORT and a container port'), compose: as('PORT and a published port'), systemd: as('PORT') },
  depends_on: {
    nomad: no('Nomad starts groups independently: add a prestart task that waits for the dependency\'s service, or make the app retry'),
    k8s: no("Kubernetes starts pods independently: add an initContainer that waits for the dependency's Service, or make the app retry"),
    compose: as('depends_on with a condition'),
    systemd: as('After= and Requires='),
  },
  readiness: {
    nomad: as('service check'),
    k8s: as('readinessProbe and livenessProbe'),
    compose: as('healthcheck'),
    systemd: as('ExecStartPost= that waits until the probe passes'),
  },
  ports: {
    nomad: as('network ports (0: a dynamic port)'),
    k8s: fixedPorts('container ports and a Service'),
    compose: fixedPorts('published ports'),
    systemd: fixedPorts('environment variables'),
  },
  node: {
    nomad: (app) => (app.spec.node === 'all' ? no('a system job runs on every client: move this app to its own job with type = "system"') : as('a constraint')),
    k8s: as('a DaemonSet for "all", a nodeSelector otherwise'),
    compose: no('Compose runs on one host: deploy this file on the chosen machine'),
    systemd: no('install the unit on the chosen machines'),
  },
  image: { nomad: as('config.image'), k8s: as('image'), compose: as('image'), systemd: no('systemd runs the app on the host: run the image from ExecStart= (podman run) if you need it') },
  append_env_to_name: same(as('the name')),
  blocking_stdio: same(no("node-unit's preload is not there to make stdout blocking: end the app with process.exitCode rather than process.exit() so no line is lost")),
  vizion: same(PM2_ONLY),
  pmx: same(PM2_ONLY),
  automation: same(PM2_ONLY),
  source_map_support: same(PM2_ONLY),
  post_update: same(PM2_ONLY),
  force: same(PM2_ONLY),
  windowsHide: same(PM2_ONLY),
  trace: same(PM2_ONLY),
  treekill: same(PM2_ONLY),
  shutdown_with_message: same(PM2_ONLY),
  kill_retry_time: same(PM2_ONLY),
  pid_file: same(no('the runtime tracks the process itself: read its pid from the runtime instead of a file')),
};

/** env_<profile> blocks: the chosen one is merged into env; the others are not exported, and said so. */
const PROFILE_KEY = /^env_(.+)$/;

function profileVerdict(profile: string, app: ExportApp): Verdict {
  if (profile === app.profile) return as('merged into env (--env)');
  const chosen = app.profile === undefined ? 'no --env was given' : `--env ${app.profile} was chosen`;
  return no(`not exported: ${chosen}; export with --env ${profile} for its variables`);
}

export function verdict(key: string, target: ExportTarget, app: ExportApp): Verdict {
  const row = TRANSLATION[key];
  if (!row) {
    const profile = PROFILE_KEY.exec(key)?.[1];
    if (profile !== undefined) return profileVerdict(profile, app);
    return no('unknown to node-unit: remove it');
  }
  const cell = row[target];
  return typeof cell === 'function' ? cell(app) : cell;
}

/** The keys of one app that the target cannot carry, in the order they were written. */
export function untranslatedKeys(app: ExportApp, target: ExportTarget): Untranslated[] {
  const found: Untranslated[] = [];
  // Defaults matter too: several instances run in cluster mode unless told otherwise, and ports may come from `port`.
  const implied = [...(app.spec.instances > 1 ? ['instances', 'exec_mode'] : []), ...(Object.keys(app.spec.ports).length > 0 ? ['ports'] : [])];
  const keys = new Set([...app.written, ...implied]);
  for (const key of keys) {
    const result = verdict(key, target, app);
    if (!result.ok) found.push({ app: app.spec.name, key, advice: result.advice });
  }
  return found;
}
