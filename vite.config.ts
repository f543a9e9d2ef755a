import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The client is built from client/ into dist/client; the server serves it (or runs Vite in middleware mode with --dev). */
export default defineConfig({
  root: 'client',
  plugins: [react()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
