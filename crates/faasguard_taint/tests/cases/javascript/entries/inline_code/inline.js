const { exec } = require('child_process');
exports.handler = async (event) => {
  const cmd = event.body;
  exec(cmd);
};
// expect: Command child_process.exec part=body source=3 sink=4 steps=3
