exports.handler = async (event) => {
  const next = event.queryStringParameters.next;
  return {
    statusCode: 302,
    headers: { Location: next },
  };
};
// expect: OpenRedirect Location header part=queryStringParameters.next source=2 sink=5 steps=2
