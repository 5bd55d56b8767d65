const { exec } = require('child_process');
exports.handler = async (event, context) => {
  exec('echo ' + context.functionName);
  exec(process.env.COMMAND);
  return event.body;
};
