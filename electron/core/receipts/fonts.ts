import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Noto Sans SC (OFL, resources/fonts), read once per process: parsing 10 MB per slip would dominate its cost. */
export interface CjkFonts {
  regular: Buffer;
  bold: Buffer;
}

export const DEFAULT_RESOURCES_DIR = join(import.meta.dirname, '..', '..', '..', 'resources');

const loaded = new Map<string, CjkFonts>();

export function loadCjkFonts(resourcesDir: string = DEFAULT_RESOURCES_DIR): CjkFonts {
  let fonts = loaded.get(resourcesDir);
  if (!fonts) {
    fonts = {
      regular: readFileSync(join(resourcesDir, 'fonts', 'NotoSansSC-Regular.ttf')),
      bold: readFileSync(join(resourcesDir, 'fonts', 'NotoSansSC-Bold.ttf')),
    };
    loaded.set(resourcesDir, fonts);
  }
  return fonts;
}
