#!/usr/bin/env node
// The `cosem-studio` command: runs electron/cli.ts from source through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
