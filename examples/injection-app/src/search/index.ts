// GET <function URL>/?q=invoice&status=done&limit=20
//
// Search over conversion jobs for the public status page, served through a
// Lambda function URL with AuthType NONE.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { findJobs } from './db';

const MAX_RESULTS = 50;

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
  const q = event.queryStringParameters?.q ?? '';
  const status = event.queryStringParameters?.status ?? 'done';
  const limit = Math.min(Number(event.queryStringParameters?.limit ?? 20), MAX_RESULTS);
  if (q.length < 2) {
    return { statusCode: 400, body: JSON.stringify({ error: 'query too short' }) };
  }
  const rows = await findJobs(q.trim(), status, limit);
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ results: rows }),
  };
};
