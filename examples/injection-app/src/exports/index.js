'use strict';

// POST /exports {"jobIds": ["..."], "title": "Q3 reports"}
//
// Merges finished conversions into one PDF for the back office, which calls
// the route with SigV4 (AWS_IAM authorization). qpdf and exiftool come from
// a layer.

const { execFileSync, execSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');

const s3 = new S3Client({});
const BUCKET = process.env.UPLOAD_BUCKET;
const MAX_JOBS = 100;

async function download(key, file) {
  const out = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  fs.writeFileSync(file, Buffer.from(await out.Body.transformToByteArray()));
}

exports.handler = async (event, context) => {
  const { jobIds = [], title = 'Export' } = JSON.parse(event.body || '{}');
  if (!Array.isArray(jobIds) || jobIds.length === 0 || jobIds.length > MAX_JOBS) {
    return { statusCode: 400, body: JSON.stringify({ error: `1 to ${MAX_JOBS} job ids` }) };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-'));
  const parts = [];
  let n = 0;
  for (const id of jobIds) {
    n += 1;
    const part = path.join(dir, `part-${n}.pdf`);
    await download(`results/${encodeURIComponent(id)}.pdf`, part);
    parts.push(part);
  }
  const merged = path.join(dir, 'export.pdf');
  execFileSync('qpdf', ['--empty', '--pages', ...parts, '--', merged]);
  // Stamp the export's title into the PDF metadata.
  execSync(`exiftool -overwrite_original -Title="${title}" ${merged}`);

  const key = `exports/${context.awsRequestId}.pdf`;
  await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: fs.readFileSync(merged) }));
  fs.rmSync(dir, { recursive: true, force: true });
  return { statusCode: 201, body: JSON.stringify({ key }) };
};
