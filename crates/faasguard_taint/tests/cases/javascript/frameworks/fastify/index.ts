import Fastify from 'fastify';
import { readFile } from 'node:fs/promises';
const fastify = Fastify();
fastify.get('/file/:name', async (request: any, reply: any) => {
  const data = await readFile(`/srv/${request.params.name}`);
  return reply.send(data);
});
fastify.route({ method: 'GET', url: '/x', handler: async (request: any) => new RegExp(request.query.q) });
// expect: Path fs.readFile part=params.name source=5 sink=5 steps=
// expect: Regex RegExp part=query.q source=8 sink=8 steps=
