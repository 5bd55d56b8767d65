const { exec } = require('child_process');

class Runner {
  constructor(prefix) {
    this.prefix = prefix;
  }

  run(arg) {
    return exec(this.prefix + arg);
  }

  remember(event) {
    this.cmd = event.body;
  }

  replay() {
    return exec(this.cmd);
  }
}

exports.handler = async (event) => {
  const runner = new Runner('ls ');
  runner.run(event.queryStringParameters.dir);
  runner.remember(event);
  runner.replay();
};
// expect: Command child_process.exec part=queryStringParameters.dir source=23 sink=9 steps=23
// expect: Command child_process.exec part=body source=24 sink=17 steps=24,13
