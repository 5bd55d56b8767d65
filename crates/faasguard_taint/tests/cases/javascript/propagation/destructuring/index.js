const fs = require('fs');
exports.handler = async (event) => {
  const { id } = event.pathParameters;
  const { body } = event;
  const { file: { name } = {} } = JSON.parse(body);
  fs.readFileSync(`/data/${id}`);
  fs.writeFileSync(name, 'x');
};
// expect: Path fs.readFileSync part=pathParameters.id source=3 sink=6 steps=3
// expect: Path fs.writeFileSync part=body source=4 sink=7 steps=4,5
