const cp = require('child_process');
exports.handler = async (event) => {
  let cmd = 'ls ';
  cmd += event.queryStringParameters.dir;
  cp.exec(cmd + ' | wc -l');
};
// expect: Command child_process.exec part=queryStringParameters.dir source=4 sink=5 steps=4
