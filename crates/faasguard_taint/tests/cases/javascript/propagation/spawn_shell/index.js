const { spawn, execFile } = require('child_process');
exports.handler = async (event) => {
  const arg = event.body;
  spawn('sh', ['-c', arg]);
  spawn('ls', [arg], { shell: true });
  execFile('ls', ['-l', arg]);
};
// expect: Command child_process.spawn part=body source=3 sink=4 steps=3
// expect: Command child_process.spawn part=body source=3 sink=5 steps=3
