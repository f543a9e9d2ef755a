import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The client is built from client/ into dist/client; the server serves it (or runs Vite in middleware mode with --dev). */
export default defineConfig({
  // Absolute, so the server can load this config from any working directory.
  root: fileURLToPath(new URL('./client', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
