// POST /webhooks/payments: verify, normalise to EUR, publish, settle.

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

interface PaymentEvent {
  id: string;
  type: 'payment.succeeded' | 'payment.failed' | 'payment.refunded';
  amount: number;
  currency: string;
  merchantId: string;
}

const secrets = new SecretsManagerClient({});
const ssm = new SSMClient({});
const sns = new SNSClient({});
const sfn = new SFNClient({});

// Cached for the life of the container.
let signingKey: string | undefined;

async function getSigningKey(): Promise<string> {
  if (signingKey === undefined) {
    const out = await secrets.send(
      new GetSecretValueCommand({ SecretId: process.env.SIGNING_SECRET_ARN }),
    );
    signingKey = out.SecretString ?? '';
  }
  return signingKey;
}

async function fxRates(): Promise<Record<string, number>> {
  const out = await ssm.send(new GetParameterCommand({ Name: process.env.FX_PARAMETER! }));
  return JSON.parse(out.Parameter?.Value ?? '{}') as Record<string, number>;
}

function validSignature(body: string, signature: string | undefined, key: string): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', key).update(body).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  const body = event.body ?? '';
  if (!validSignature(body, event.headers['x-signature'], await getSigningKey())) {
    return { statusCode: 401, body: 'bad signature' };
  }
  const payment = JSON.parse(body) as PaymentEvent;
  const rates = await fxRates();
  const rate = rates[payment.currency];
  if (rate === undefined) {
    return { statusCode: 422, body: `unsupported currency ${payment.currency}` };
  }
  const amountEur = Math.round((payment.amount / rate) * 100) / 100;

  await sns.send(
    new PublishCommand({
      TopicArn: process.env.EVENTS_TOPIC_ARN,
      Message: JSON.stringify({ ...payment, amountEur }),
      MessageAttributes: { type: { DataType: 'String', StringValue: payment.type } },
    }),
  );
  if (payment.type === 'payment.succeeded') {
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: process.env.SETTLEMENT_MACHINE_ARN,
        name: `settle-${payment.id}`,
        input: JSON.stringify({ paymentId: payment.id, merchantId: payment.merchantId, amountEur }),
      }),
    );
  }
  return { statusCode: 200, body: JSON.stringify({ received: payment.id }) };
};
