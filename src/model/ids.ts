/** An instance is addressed as `app:index`; an app name alone targets all its instances. */
export type InstanceId = `${string}:${number}`;

export function instanceId(app: string, index: number): InstanceId {
  return `${app}:${index}`;
}

export function parseInstanceId(id: string): { readonly app: string; readonly index: number } | undefined {
  const match = /^(.*):(\d+)$/.exec(id);
  if (!match || match[1] === undefined || match[2] === undefined || match[1] === '') return undefined;
  return { app: match[1], index: Number(match[2]) };
}
