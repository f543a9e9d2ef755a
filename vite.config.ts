import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The client is built from client/ into dist/client; the server serves it (or runs Vite in middleware mode with --dev). */
export default defineConfig({
  // Absolute, so the server can load this config from any working directory.
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
  resolve: {
    // main.tsx renders through react-dom/profiling (so the Profiler counts commits in production);
    // point every other react-dom/client import (drei, fiber) at the same build, not a second copy.
    alias: [
      { find: /^react-dom\/client$/, replacement: 'react-dom/profiling' },
      // zod without its eval probe (the CSP forbids eval); see client/zodJitless.ts.
      { find: /^zod$/, replacement: fileURLToPath(new URL('./client/zodJitless.ts', import.meta.url)) },
    ],
  },
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
