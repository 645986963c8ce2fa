// Runs the TypeScript worker from source (tests, the CLI under tsx); built apps load worker.js directly.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
