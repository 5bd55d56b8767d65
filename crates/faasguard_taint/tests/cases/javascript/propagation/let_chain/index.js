const { execSync } = require('child_process');
exports.handler = async (event) => {
  let a = event.body;
  const b = a;
  let c;
  c = b.trim();
  execSync(c);
};
// expect: Command child_process.execSync part=body source=3 sink=7 steps=3,4,6
