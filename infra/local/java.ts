import { spawnSync } from 'node:child_process';
import { StartupError } from './startup-error';

const INSTALL_HINT =
  'install Java 17 or newer (Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17)';

/** DynamoDB Local is a Java program; say plainly when Java is missing or too old. */
export function assertJava17(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new StartupError(`Java was not found on PATH; DynamoDB Local needs it: ${INSTALL_HINT}`);
  }
  const output = `${result.stderr}${result.stdout}`;
  const match = output.match(/version "(\d+)(?:\.(\d+))?/);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!Number.isFinite(major) || major < 17) {
    throw new StartupError(`Java ${Number.isFinite(major) ? major : '(unknown version)'} found; DynamoDB Local needs 17+: ${INSTALL_HINT}`);
  }
}
