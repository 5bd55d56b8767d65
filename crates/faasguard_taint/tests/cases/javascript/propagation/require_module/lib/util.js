const cp = require('child_process');
const fs = require('fs');
exports.run = async (cmd) => {
  return cp.exec(cmd);
};
module.exports.save = function save(name, data) {
  fs.writeFileSync('/tmp/' + name, data);
};
