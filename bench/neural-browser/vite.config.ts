// Builds the neural benchmark page (bench/neural-browser/index.html) into dist-neural-bench/ (gitignored by
// the dist-* pattern). Used by bench/neural-browser.ts; not part of the app build.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export const NEURAL_BENCH_OUT_DIR = fileURLToPath(new URL('../../dist-neural-bench', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: { outDir: NEURAL_BENCH_OUT_DIR, emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
