const { exec } = require('child_process');
exports.handler = async (event) => {
  const a = event.queryStringParameters.a;
  const b = event.headers.b;
  exec(a ? a : b);
};
// expect: Command child_process.exec part=queryStringParameters.a source=3 sink=5 steps=3
// expect: Command child_process.exec part=headers.b source=4 sink=5 steps=4
