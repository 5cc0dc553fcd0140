import type { AppSpec } from '../model/app.js';

/** The engines an ecosystem can be exported to. */
export const EXPORT_TARGETS = ['nomad', 'k8s', 'compose', 'systemd'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** A dotenv file an app reads, with the variables it holds. */
export interface EnvFile {
  readonly path: string;
  readonly vars: Readonly<Record<string, string>>;
}

/** One app as the translators see it: the resolved spec plus what the user wrote. */
export interface ExportApp {
  readonly spec: AppSpec;
  /** The keys written in the ecosystem file for this app (env_<profile> keys included). */
  readonly written: ReadonlySet<string>;
  /** `instances` was written relative to the CPUs ('max', 0, -1): the count in `spec` is this machine's. */
  readonly perCpuInstances: boolean;
  /** The env_<profile> block chosen with --env, if any. */
  readonly profile: string | undefined;
  /** The app's own `image` key, if any. */
  readonly image: string | undefined;
  readonly envFiles: readonly EnvFile[];
}

export interface ExportInput {
  /** A name for the whole export: the job, the compose project, the label on every object. */
  readonly project: string;
  /** The folder holding the ecosystem file: app folders are placed relative to it. */
  readonly configDir: string;
  readonly apps: readonly ExportApp[];
  /** --image: the image of every app without its own. */
  readonly image: string | undefined;
  /** Where configDir sits inside the image. */
  readonly workdir: string;
  /** The node binary units run on the host (systemd). */
  readonly nodePath: string;
  /** The account units run as on the host (systemd): whoever exported; undefined for root, which units run as anyway. */
  readonly account: { readonly user: string; readonly group: string } | undefined;
  /** Nomad: JSON instead of HCL. */
  readonly json: boolean;
}

/** A key that has no counterpart in the target, and what to do instead. */
export interface Untranslated {
  readonly app: string;
  readonly key: string;
  readonly advice: string;
}

export interface ExportFile {
  readonly name: string;
  readonly text: string;
}

export type ExportResult =
  | { readonly ok: true; readonly files: readonly ExportFile[]; readonly untranslated: readonly Untranslated[] }
  | { readonly ok: false; readonly message: string };
