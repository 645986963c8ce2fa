/** The CLI run in-process, its output kept: the exit code, stdout and stderr as text. */
import { main, type Io } from '../../../electron/cli.js';

export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = { out: (t) => void stdout.push(t), err: (t) => void stderr.push(t) };
  const code = await main(argv, io);
  return { code, out: stdout.join('\n'), err: stderr.join('\n') };
}
