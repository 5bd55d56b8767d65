exports.handler = async (event) => {
  const next = event.queryStringParameters.next;
  return {
    statusCode: 302,
    headers: { Location: '/login?next=' + encodeURIComponent(next) },
  };
};
