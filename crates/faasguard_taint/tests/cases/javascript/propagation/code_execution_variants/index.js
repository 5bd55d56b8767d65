const vm = require('vm');
exports.handler = async (event) => {
  const code = event.body;
  vm.runInNewContext(code, {});
  new vm.Script(code);
  setTimeout(code, 10);
  setTimeout(() => console.log(code), 10);
  Function('return ' + code)();
};
// expect: CodeExecution vm.runInNewContext part=body source=3 sink=4 steps=3
// expect: CodeExecution vm.Script part=body source=3 sink=5 steps=3
// expect: CodeExecution setTimeout part=body source=3 sink=6 steps=3
// expect: CodeExecution Function part=body source=3 sink=8 steps=3
