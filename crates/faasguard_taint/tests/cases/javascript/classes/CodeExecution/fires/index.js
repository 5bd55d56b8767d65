exports.handler = async (event) => {
  const { expr } = JSON.parse(event.body);
  return { statusCode: 200, body: String(eval(expr)) };
};
// expect: CodeExecution eval part=body source=2 sink=3 steps=2
