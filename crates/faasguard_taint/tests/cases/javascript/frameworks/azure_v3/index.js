// handler: index.default
const { exec } = require('child_process');
module.exports = async function (context, req) {
  exec(req.query.cmd);
  exec(context.req.body.other);
  exec(context.invocationId);
};
// expect: Command child_process.exec part=query.cmd source=4 sink=4 steps=
// expect: Command child_process.exec part=body.other source=5 sink=5 steps=
