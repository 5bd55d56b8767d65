// handler: index.default
import { exec } from 'child_process';
export default async function (event) {
  exec(event.detail.command);
}
// expect: Command child_process.exec part=detail.command source=4 sink=4 steps=
