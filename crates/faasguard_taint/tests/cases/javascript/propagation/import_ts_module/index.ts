import { run } from './util.js';
import * as helpers from './helpers';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEvent): Promise<string> => {
  const host = event.pathParameters?.host ?? '';
  const out = await run(helpers.quoteless(host));
  return out;
};
// expect: Command child_process.execSync part=pathParameters.host source=6 sink=util.ts:4 steps=6,7,7
