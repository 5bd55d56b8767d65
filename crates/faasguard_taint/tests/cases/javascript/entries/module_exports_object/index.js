const { exec } = require('child_process');
async function handler(event) {
  exec(event.body);
}
async function notTheHandler(payload) {
  exec(payload.body);
}
module.exports = { handler, notTheHandler };
// expect: Command child_process.exec part=body source=3 sink=3 steps=
