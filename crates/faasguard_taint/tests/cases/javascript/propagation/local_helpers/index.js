const { exec } = require('child_process');

function build(dir) {
  return 'ls -l ' + dir;
}

async function run(command) {
  return exec(command);
}

function unused(x) {
  exec(x);
}

exports.handler = async (event) => {
  const cmd = build(event.queryStringParameters.dir);
  await run(cmd);
  await run('uptime');
};
// expect: Command child_process.exec part=queryStringParameters.dir source=16 sink=8 steps=16,16,17
