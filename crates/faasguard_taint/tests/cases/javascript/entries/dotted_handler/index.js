// handler: index.api.handler
const { exec } = require('child_process');
module.exports.api = {
  handler: async (event) => exec(event.body),
  other: async (event) => 1,
};
// expect: Command child_process.exec part=body source=4 sink=4 steps=
