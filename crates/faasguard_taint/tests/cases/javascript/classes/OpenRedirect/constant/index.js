exports.handler = async (event) => ({
  statusCode: 301,
  headers: { Location: '/home' },
  body: event.body,
});
