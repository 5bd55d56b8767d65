const middy = require('@middy/core');
const { exec } = require('child_process');
const base = async (event) => {
  exec(event.body);
};
exports.handler = middy(base).use(jsonBodyParser());
// expect: Command child_process.exec part=body source=4 sink=4 steps=
