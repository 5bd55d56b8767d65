const util = require('./lib/util');
const { save } = require('./lib/util.js');
exports.handler = async (event) => {
  const body = JSON.parse(event.body);
  await util.run(body.cmd);
  await save(body.name, 'data');
};
// expect: Command child_process.exec part=body source=4 sink=util.js:4 steps=4,5
// expect: Path fs.writeFileSync part=body source=4 sink=util.js:7 steps=4,6
