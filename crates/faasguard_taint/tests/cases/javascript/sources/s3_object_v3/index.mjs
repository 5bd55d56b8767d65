import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
import vm from 'node:vm';
import { exec } from 'node:child_process';

const s3 = new S3Client({});

export const handler = async (event) => {
  const { bucket, object } = event.Records[0].s3;
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket.name, Key: object.key }));
  const script = await res.Body.transformToString();
  vm.runInNewContext(script, {});
  const cmd = new GetObjectCommand({ Bucket: process.env.BUCKET, Key: 'job.sh' });
  const { Body } = await s3.send(cmd);
  exec(await Body.transformToString());
};
// expect: CodeExecution vm.runInNewContext part=s3 object content source=9 sink=11 steps=9,10
// expect: Command child_process.exec part=s3 object content source=13 sink=14 steps=13
