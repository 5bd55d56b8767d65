import { SQSClient, SendMessageCommand, SendMessageCommandInput } from "@aws-sdk/client-sqs";
import { KMSClient, DecryptCommand } from "@aws-sdk/client-kms";
import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
import type { SQSEvent } from "aws-lambda";

const QUEUE_URL: string = process.env.QUEUE_URL!;

class Notifier {
  private readonly sqs = new SQSClient({});

  constructor(private readonly kms: KMSClient = new KMSClient({})) {}

  async notify(body: string): Promise<void> {
    const input: SendMessageCommandInput = { QueueUrl: QUEUE_URL, MessageBody: body };
    await this.sqs.send(new SendMessageCommand(input));
    await this.kms.send(new DecryptCommand({ CiphertextBlob: new Uint8Array(), KeyId: process.env["KEY_ID"] as string }));
  }
}

const ssm = new SSMClient({}) as SSMClient;

export const handler = async (event: SQSEvent): Promise<void> => {
  const name = `/app/${process.env.STAGE}/config` as const;
  await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  await new Notifier().notify(JSON.stringify(event));
};
