import _ from 'lodash';

export const handler = async (event) => {
  const q = event.queryStringParameters.q;
  const re = new RegExp(_.escapeRegExp(q), 'i');
  return re.test('alpha');
};
