const cp = require('child_process');
exports.handler = async (event) => {
  const cmd = JSON.parse(event.body).cmd;
  cp.exec(cmd);
};
// expect: Command child_process.exec part=body source=3 sink=4 steps=3
