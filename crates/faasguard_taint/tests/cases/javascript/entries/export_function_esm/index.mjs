import { exec } from 'child_process';
export async function handler(event, context) {
  exec(event.detail.command);
  exec(context.awsRequestId);
}
// expect: Command child_process.exec part=detail.command source=3 sink=3 steps=
