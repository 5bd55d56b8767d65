const { exec } = require('child_process');

const ALLOWED = ['status', 'uptime'];
const MODES = new Set(['fast', 'slow']);

exports.handler = async (event) => {
  const cmd = event.queryStringParameters.cmd;
  if (!ALLOWED.includes(cmd)) {
    return { statusCode: 400 };
  }
  exec(cmd);
  const mode = event.queryStringParameters.mode;
  if (MODES.has(mode)) {
    exec('run --mode ' + mode);
  }
  const other = event.queryStringParameters.other;
  if (!ALLOWED.includes(other)) {
    console.log('not allowed');
  }
  exec(other);
};
// expect: Command child_process.exec part=queryStringParameters.other source=16 sink=20 steps=16
