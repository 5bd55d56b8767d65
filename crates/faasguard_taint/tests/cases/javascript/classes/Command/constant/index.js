const cp = require('child_process');
exports.handler = async (event) => {
  console.log(event);
  return cp.execSync('ls -la /tmp').toString();
};
