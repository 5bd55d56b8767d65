exports.handler = async (event) => {
  const re = new RegExp('^[a-z0-9-]+$');
  return re.test(event.pathParameters.slug);
};
