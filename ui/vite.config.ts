import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// One build, several pages sharing src/shared: /counter/, /kiosk/, the departments' /dept/, the public /lookup/ and
// /check/ (a printed proof's QR code leads there)
// (served by mz-hub), and the wallet (embedded in the app).
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
        lookup: resolve(__dirname, 'lookup/index.html'),
        dept: resolve(__dirname, 'dept/index.html'),
        check: resolve(__dirname, 'check/index.html'),
      },
    },
  },
});
