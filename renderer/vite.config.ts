import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  // Relative asset paths: Electron loads the page from a file, browser mode from the server's root.
  base: './',
  plugins: [svelte()],
  build: {
    outDir: fileURLToPath(new URL('../out/renderer', import.meta.url)),
    emptyOutDir: true,
    // The strict CSP allows no inline scripts; a module preload polyfill would be one.
    modulePreload: { polyfill: false },
    target: 'es2022',
    sourcemap: false,
  },
});
