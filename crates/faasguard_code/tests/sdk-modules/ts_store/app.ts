import { SQS } from '@aws-sdk/client-sqs';
import { SecretsManager } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import publish from './store';
import { lookup as readSecret } from './store.js';

const sqs = new SQS({});
const secrets = new SecretsManager({});

export const handler = async (event: APIGatewayProxyEvent): Promise<void> => {
  const key: string = await readSecret(secrets, process.env.SECRET_ID as string);
  await publish(sqs, key);
};
