/**
 * Child process of counters.test.ts: uses invocation counters as a session would (persist, then "send")
 * and reports each one after it is safe, until it is killed.
 */
import { InvocationCounterStore } from '../../../electron/services/invocation-counters.js';

const [file, startText] = process.argv.slice(2);
const keys = { blockCipherKey: new Uint8Array(16).fill(1), authenticationKey: new Uint8Array(16).fill(2) };
const store = new InvocationCounterStore(file!, 4);
const persist = store.persister('meter-1', keys);
let counter = store.nextCounter('meter-1', keys, Number(startText));
const timer = setInterval(() => {
  persist(counter);
  process.stdout.write(`used ${counter}\n`);
  counter++;
}, 2);
// Never runs for long on its own: the parent kills it, and this bounds it if the parent dies first.
setTimeout(() => clearInterval(timer), 20_000);
