import { defineConfig } from 'vitest/config';

// The Python-SDK conformance run is slow (venv, wandb-core start-up), so it lives outside `npm test`.
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.conformance.ts'],
    clearMocks: true,
    restoreMocks: true,
    testTimeout: 300_000,
    hookTimeout: 900_000,
  },
});
