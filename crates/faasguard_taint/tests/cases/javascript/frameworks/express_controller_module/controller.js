const { execSync } = require('child_process');
exports.report = (req, res) => {
  res.send(execSync('report ' + req.query.name).toString());
};
// expect: Command child_process.execSync part=query.name source=controller.js:3 sink=controller.js:3 steps=
