import type { ExportApp, ExportInput } from './types.js';

export type ImageChoice = { readonly ok: true; readonly images: ReadonlyMap<string, string> } | { readonly ok: false; readonly message: string };

/** Every app runs in an image: its own `image` key, else --image. Missing ones are an error that names them. */
export function chooseImages(input: ExportInput): ImageChoice {
  const images = new Map<string, string>();
  const missing: ExportApp[] = [];
  for (const app of input.apps) {
    const image = app.image ?? input.image;
    if (image === undefined) missing.push(app);
    else images.set(app.spec.name, image);
  }
  if (missing.length === 0) return { ok: true, images };
  const names = missing.map((app) => app.spec.name).join(', ');
  return {
    ok: false,
    message:
      `no image for ${missing.length === 1 ? 'app' : 'apps'} ${names}: an exported app runs in a container image, and node-unit cannot guess which.\n` +
      `  Pass --image <image> (an image holding this project under /app, e.g. one built from a Dockerfile that copies it), or set image: '<image>' on each app.`,
  };
}
