import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

// The dashboard client: built once at package build time into dist/client, served by the sink.
// No CDN, no inline script or style (the server's CSP forbids them), content-hashed assets.
export default defineConfig({
  root: fileURLToPath(new URL('./src/client', import.meta.url)),
  base: './',
  logLevel: 'warn',
  resolve: { conditions: ['@linkyrpi/source'] },
  build: {
    outDir: fileURLToPath(new URL('./dist/client', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    sourcemap: false,
    reportCompressedSize: false,
  },
})
