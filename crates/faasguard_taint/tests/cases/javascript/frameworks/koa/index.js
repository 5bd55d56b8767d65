const Koa = require('koa');
const Router = require('@koa/router');
const { exec } = require('child_process');
const app = new Koa();
const router = new Router();
router.get('/go', async (ctx) => {
  ctx.redirect(ctx.query.next);
});
router.post('/run', async (ctx, next) => {
  exec(ctx.request.body.cmd);
  await next();
});
app.use(router.routes());
// expect: OpenRedirect ctx.redirect part=query.next source=7 sink=7 steps=
// expect: Command child_process.exec part=body.cmd source=10 sink=10 steps=
