import type { SQS } from '@aws-sdk/client-sqs';
import type { SecretsManager } from '@aws-sdk/client-secrets-manager';

export default async function (queue: SQS, body: string): Promise<void> {
  await queue.sendMessage({ QueueUrl: process.env.QUEUE_URL!, MessageBody: body });
}

export async function lookup(sm: SecretsManager, id: string): Promise<string> {
  const out = await sm.getSecretValue({ SecretId: id });
  return out.SecretString ?? '';
}
