const { exec } = require('child_process');

function run(command) {
  return exec(command);
}

exports.handler = async (event) => {
  run.call(null, event.body);
  run.apply(null, [event.path]);
  run.call(null, 'uptime');
};
// expect: Command child_process.exec part=body source=8 sink=4 steps=8
// expect: Command child_process.exec part=path source=9 sink=4 steps=9
