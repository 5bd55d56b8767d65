export async function archive(client, key) {
  await client.putObject({ Bucket: process.env.ARCHIVE_BUCKET, Key: key, Body: '{}' });
}

export const record = async (table, id) => {
  await table.update({ TableName: process.env.RUNS_TABLE, Key: { id } });
};

const remove = (client, key) => client.deleteObject({ Bucket: process.env.ARCHIVE_BUCKET, Key: key });

export { remove };
