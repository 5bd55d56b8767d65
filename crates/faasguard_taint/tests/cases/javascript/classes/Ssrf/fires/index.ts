import axios from 'axios';
import type { APIGatewayProxyEvent } from 'aws-lambda';

export const handler = async (event: APIGatewayProxyEvent) => {
  const target = event.queryStringParameters!.url as string;
  const res = await axios.get(target);
  return { statusCode: 200, body: JSON.stringify(res.data) };
};
// expect: Ssrf axios.get part=queryStringParameters.url source=5 sink=6 steps=5
