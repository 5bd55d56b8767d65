import { execSync } from 'child_process';
export const handler = async (event: { body: string }) => {
  const el = <div>{event.body}</div>;
  execSync(event.body as string);
  return el;
};
// expect: Command child_process.execSync part=body source=4 sink=4 steps=
