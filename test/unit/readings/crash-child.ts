/**
 * Child process of crash.test.ts: writes whole days of a load profile (96 rows, each read in one
 * transaction) and polls, as fast as it can, reporting each commit, until it is killed.
 */
import { openReadingsDatabase } from '../../../electron/services/readings/readings-database.js';
import { groupPoll, profileRead } from './support.js';

const [folder] = process.argv.slice(2);
const db = openReadingsDatabase({ folder: folder! });
const started = Date.now();
let day = 0;
function step(): void {
  // Several reads per turn of the event loop, so the kill lands in the middle of one.
  for (let k = 0; k < 4; k++, day++) {
    db.recordProfile(profileRead(day * 96, 96));
    db.recordPoll(groupPoll(day));
    process.stdout.write(`committed ${day}\n`);
  }
  // Never runs for long on its own: the parent kills it, and this bounds it if the parent dies first.
  if (Date.now() - started < 20_000) setImmediate(step);
}
step();
