import { readdir, readFile } from 'node:fs/promises';

/** The pid of the DynamoDB Local JVM listening on `port` (found by its command line, Linux /proc). */
export async function dynamoLocalPid(port: number): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = await readFile(`/proc/${entry}/cmdline`, 'utf8').then(
      (s) => s.split('\0'),
      () => [] as string[],
    );
    const at = args.indexOf('-port');
    if (args.some((a) => a.includes('DynamoDBLocal')) && at >= 0 && args[at + 1] === String(port)) return Number(entry);
  }
  return undefined;
}

/** kill -9 of DynamoDB Local, as a crash would; resolves once the process is gone. */
export async function killDynamoLocal(port: number): Promise<void> {
  const pid = await dynamoLocalPid(port);
  if (!pid) throw new Error(`no DynamoDB Local process listens on port ${port}`);
  process.kill(pid, 'SIGKILL');
  while (
    await readFile(`/proc/${pid}/status`, 'utf8').then(
      (s) => !/State:\s+Z/.test(s),
      () => false,
    )
  )
    await new Promise((resolve) => setTimeout(resolve, 50));
}
