exports.handler = async (event) => {
  const q = event.queryStringParameters.q;
  const re = new RegExp(q, 'i');
  return ['alpha', 'beta'].filter((w) => re.test(w));
};
// expect: Regex RegExp part=queryStringParameters.q source=2 sink=3 steps=2
