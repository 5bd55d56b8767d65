import { execSync } from 'node:child_process';

export async function run(command: string): Promise<string> {
  return execSync(command).toString();
}
