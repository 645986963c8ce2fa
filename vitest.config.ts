import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Svelte components compile for the browser; component tests run them in happy-dom
  // (`// @vitest-environment happy-dom` at the top of the test file).
  plugins: [svelte({ hot: false } as never)],
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
