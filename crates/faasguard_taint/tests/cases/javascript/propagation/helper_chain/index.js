const { exec } = require('child_process');
const outer = (x) => middle(x.trim());
const middle = (y) => inner(`echo ${y}`);
function inner(z) {
  exec(z);
}
exports.handler = async (event) => {
  outer(event.body);
};
// expect: Command child_process.exec part=body source=8 sink=5 steps=8,2,3
