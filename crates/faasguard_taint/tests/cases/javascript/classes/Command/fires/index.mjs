import { exec } from 'node:child_process';

export const handler = async (event) => {
  const host = event.queryStringParameters?.host;
  exec(`ping -c 1 ${host}`);
};
// expect: Command child_process.exec part=queryStringParameters.host source=4 sink=5 steps=4
