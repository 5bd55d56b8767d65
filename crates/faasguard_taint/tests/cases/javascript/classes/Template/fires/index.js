const ejs = require('ejs');

exports.handler = async (event) => {
  const { template, name } = JSON.parse(event.body);
  return ejs.render(template, { name });
};
// expect: Template ejs.render part=body source=4 sink=5 steps=4
