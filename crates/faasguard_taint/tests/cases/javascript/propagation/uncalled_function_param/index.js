const { exec } = require('child_process');
function maintenance(cmd) {
  exec(cmd);
}
exports.handler = async (event) => event.body;
