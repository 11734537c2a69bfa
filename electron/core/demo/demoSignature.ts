import { PNG } from 'pngjs';
import type { SyntheticRandom } from '../../../shared';

/**
 * A scribble that stands in for a customer's drawn signature in demo data: a wavy dark stroke on white.
 * Real signatures come from the signature pad.
 */
export function demoSignaturePng(random: SyntheticRandom, width = 240, height = 80): Buffer {
  const png = new PNG({ width, height });
  png.data.fill(255);
  const phase = random() * Math.PI * 2;
  const waves = 2 + random() * 3;
  for (let x = 10; x < width - 10; x += 1) {
    const y = Math.round(height / 2 + Math.sin(phase + (x / width) * waves * Math.PI * 2) * (height / 4));
    for (let row = y - 1; row <= y + 1; row += 1) {
      if (row < 0 || row >= height) continue;
      const at = (row * width + x) * 4;
      png.data.fill(30, at, at + 3);
    }
  }
  return PNG.sync.write(png);
}
