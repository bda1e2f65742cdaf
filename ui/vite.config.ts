import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// One build, several pages sharing src/shared: /counter/ and /kiosk/ (served by mz-hub).
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: {
      input: {
        counter: resolve(__dirname, 'counter/index.html'),
        kiosk: resolve(__dirname, 'kiosk/index.html'),
        wallet: resolve(__dirname, 'wallet/index.html'),
      },
    },
  },
});
